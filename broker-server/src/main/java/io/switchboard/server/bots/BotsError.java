package io.switchboard.server.bots;

/**
 * A Blaze/REST error of bots.md §8.1: its code, the status it travels with, its description and optional extra.
 * Stackless: errors are answers, not bugs.
 */
final class BotsError extends RuntimeException {
  final int code;
  final String extraJson;

  private BotsError(int code, String description, String extraJson) {
    super(description, null, false, false);
    this.code = code;
    this.extraJson = extraJson;
  }

  static BotsError badRequest(String description) {
    return new BotsError(400, description, null);
  }

  static BotsError unauthorized() {
    return new BotsError(401, "Unauthorized.", null);
  }

  static BotsError forbidden() {
    return new BotsError(403, "Forbidden.", null);
  }

  static BotsError notFound() {
    return new BotsError(404, "Not found.", null);
  }

  static BotsError tooMany() {
    return new BotsError(429, "Too Many Requests.", null);
  }

  static BotsError invalidField(String field, int index) {
    String extra = index < 0 ? "{\"field\":\"" + field + "\"}" : "{\"index\":" + index + ",\"field\":\"" + field + "\"}";
    return new BotsError(10002, "The request data has invalid field.", extra);
  }

  static BotsError groupFull() {
    return new BotsError(20116, "The group chat is full.", null);
  }

  static BotsError server() {
    return new BotsError(7000, "Blaze server error.", null);
  }

  static BotsError timeout() {
    return new BotsError(7001, "The blaze operation timeout.", null);
  }

  static BotsError internal() {
    return new BotsError(500, "Internal Server Error.", null);
  }

  /** {@code status} is 500 for codes 500, 7000 and 7001, else 202 (§4). */
  int status() {
    return code == 500 || code == 7000 || code == 7001 ? 500 : 202;
  }

  String toJson() {
    StringBuilder sb = new StringBuilder("{\"status\":").append(status()).append(",\"code\":").append(code)
        .append(",\"description\":").append(io.switchboard.server.http.Json.quote(getMessage()));
    if (extraJson != null) {
      sb.append(",\"extra\":").append(extraJson);
    }
    return sb.append('}').toString();
  }

  /** Metric reason for switchboard_rejected_total{dialect="bots"}. */
  String reason() {
    return switch (code) {
      case 429 -> "quota_exceeded";
      case 7001 -> "reply_timeout";
      case 10002 -> "invalid_field";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 400 -> "bad_request";
      default -> "error_" + code;
    };
  }
}
