package io.switchboard.codec.json;

/**
 * Bounds on what one scan accepts, so that a small hostile frame (a nesting bomb, a huge string or number) costs a
 * bounded amount of work and memory before it is refused with {@link JsonScanException.Reason#LIMIT}.
 *
 * @param maxDepth deepest nesting of objects and arrays; the top-level object is depth 1
 * @param maxStringChars longest string value, in decoded chars
 * @param maxNumberChars longest number, in chars
 * @param maxNameChars longest member name, in decoded chars
 */
public record JsonLimits(int maxDepth, int maxStringChars, int maxNumberChars, int maxNameChars) {
  /** Deeper than this is never needed by a wire message and would only grow the per-connection depth stack. */
  public static final int DEPTH_CEILING = 1000;

  private static final JsonLimits DEFAULTS = new JsonLimits(16, 32_768, 64, 256);

  public JsonLimits {
    if (maxDepth < 1 || maxDepth > DEPTH_CEILING) {
      throw new IllegalArgumentException("maxDepth must be in [1, " + DEPTH_CEILING + "]: " + maxDepth);
    }
    requirePositive("maxStringChars", maxStringChars);
    requirePositive("maxNumberChars", maxNumberChars);
    requirePositive("maxNameChars", maxNameChars);
  }

  /** Depth 16, strings 32768 chars, numbers 64 chars, names 256 chars. */
  public static JsonLimits defaults() {
    return DEFAULTS;
  }

  public JsonLimits withMaxDepth(int depth) {
    return new JsonLimits(depth, maxStringChars, maxNumberChars, maxNameChars);
  }

  public JsonLimits withMaxStringChars(int chars) {
    return new JsonLimits(maxDepth, chars, maxNumberChars, maxNameChars);
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
