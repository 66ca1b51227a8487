package io.switchboard.codec.devices;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The payload P of a broker-built message, written in canonical form (devices.md §4.3 rule 2): compact, members in
 * the order {@code action, clientId, createdAt, deviceAttributes, deviceId, instanceId, replyToken, scope, type,
 * value}, absent members left out. Immutable and checked when built, so writing it cannot fail on content.
 *
 * <pre>{@code
 * CanonicalPayload p = CanonicalPayload.request("setPowerState", "alexa-skill", nowSeconds, deviceId, replyToken,
 *     CanonicalValue.parse("{\"state\":\"On\"}"));
 * CanonicalPayload restore = CanonicalPayload.builder(p).clientId("portal").instanceId("instance1").build();
 * }</pre>
 */
public final class CanonicalPayload {
  private final String action;
  private final String clientId;
  private final long createdAt;
  private final boolean deviceAttributes;
  private final String deviceId;
  private final String instanceId;
  private final String replyToken;
  private final String scope;
  private final String type;
  private final CanonicalValue value;

  private CanonicalPayload(Builder b) {
    this.action = b.action;
    this.clientId = b.clientId;
    this.createdAt = b.createdAt;
    this.deviceAttributes = b.deviceAttributes;
    this.deviceId = b.deviceId;
    this.instanceId = b.instanceId;
    this.replyToken = b.replyToken;
    this.scope = b.scope;
    this.type = b.type;
    this.value = b.value;
  }

  /** A device-scope request as the Caller API sends it: {@code "deviceAttributes":[]}, no instanceId or scope. */
  public static CanonicalPayload request(
      String action, String clientId, long createdAt, String deviceId, String replyToken, CanonicalValue value) {
    return builder().action(action).clientId(clientId).createdAt(createdAt).deviceAttributes(true)
        .deviceId(deviceId).replyToken(replyToken).type("request").value(value).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from {@code p}'s members. */
  public static Builder builder(CanonicalPayload p) {
    Builder b = new Builder();
    b.action = p.action;
    b.clientId = p.clientId;
    b.createdAt = p.createdAt;
    b.hasCreatedAt = true;
    b.deviceAttributes = p.deviceAttributes;
    b.deviceId = p.deviceId;
    b.instanceId = p.instanceId;
    b.replyToken = p.replyToken;
    b.scope = p.scope;
    b.type = p.type;
    b.value = p.value;
    return b;
  }

  /** Writes P at {@code out}'s writer index. */
  public void writeTo(ByteBuf out, StringEscaping escaping) {
    out.writeByte('{');
    boolean more = false;
    more = member(out, more, ACTION, action, escaping);
    more = member(out, more, CLIENT_ID, clientId, escaping);
    comma(out, more);
    out.writeBytes(CREATED_AT);
    CanonicalJsonWriter.writeLong(out, createdAt);
    if (deviceAttributes) {
      out.writeBytes(DEVICE_ATTRIBUTES);
    }
    member(out, true, DEVICE_ID, deviceId, escaping);
    member(out, true, INSTANCE_ID, instanceId, escaping);
    member(out, true, REPLY_TOKEN, replyToken, escaping);
    member(out, true, SCOPE, scope, escaping);
    member(out, true, TYPE, type, escaping);
    if (value != null) {
      out.writeBytes(VALUE);
      CanonicalJsonWriter.writeObject(out, value.members(), escaping);
    }
    out.writeByte('}');
  }

  /** P as text, for logs and tests (raw UTF-8 flavour unless {@code escaping} says otherwise). */
  public String toString(StringEscaping escaping) {
    ByteBuf buf = io.netty.buffer.Unpooled.buffer();
    try {
      writeTo(buf, escaping);
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  @Override
  public String toString() {
    return toString(StringEscaping.RAW_UTF8);
  }

  public String action() {
    return action;
  }

  public String clientId() {
    return clientId;
  }

  public long createdAt() {
    return createdAt;
  }

  public String deviceId() {
    return deviceId;
  }

  public String instanceId() {
    return instanceId;
  }

  public String replyToken() {
    return replyToken;
  }

  public String scope() {
    return scope;
  }

  public String type() {
    return type;
  }

  public CanonicalValue value() {
    return value;
  }

  private static boolean member(ByteBuf out, boolean comma, byte[] name, String v, StringEscaping escaping) {
    if (v == null) {
      return comma;
    }
    comma(out, comma);
    out.writeBytes(name);
    CanonicalJsonWriter.writeString(out, v, escaping);
    return true;
  }

  private static void comma(ByteBuf out, boolean comma) {
    if (comma) {
      out.writeByte(',');
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static final byte[] ACTION = ascii("\"action\":");
  private static final byte[] CLIENT_ID = ascii("\"clientId\":");
  private static final byte[] CREATED_AT = ascii("\"createdAt\":");
  private static final byte[] DEVICE_ATTRIBUTES = ascii(",\"deviceAttributes\":[]");
  private static final byte[] DEVICE_ID = ascii("\"deviceId\":");
  private static final byte[] INSTANCE_ID = ascii("\"instanceId\":");
  private static final byte[] REPLY_TOKEN = ascii("\"replyToken\":");
  private static final byte[] SCOPE = ascii("\"scope\":");
  private static final byte[] TYPE = ascii("\"type\":");
  private static final byte[] VALUE = ascii(",\"value\":");

  /** Members of a payload; {@code createdAt} and {@code type} are required, the others optional. */
  public static final class Builder {
    private String action;
    private String clientId;
    private long createdAt;
    private boolean hasCreatedAt;
    private boolean deviceAttributes;
    private String deviceId;
    private String instanceId;
    private String replyToken;
    private String scope;
    private String type;
    private CanonicalValue value;

    private Builder() {}

    public Builder action(String action) {
      this.action = action;
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /** Unix seconds; the broker's current time when the frame is built (§4.3 rule 7). */
    public Builder createdAt(long createdAt) {
      this.createdAt = createdAt;
      this.hasCreatedAt = true;
      return this;
    }

    /** Whether to write {@code "deviceAttributes":[]}, which every request carries (§4.2). */
    public Builder deviceAttributes(boolean present) {
      this.deviceAttributes = present;
      return this;
    }

    public Builder deviceId(String deviceId) {
      this.deviceId = deviceId;
      return this;
    }

    public Builder instanceId(String instanceId) {
      this.instanceId = instanceId;
      return this;
    }

    public Builder replyToken(String replyToken) {
      this.replyToken = replyToken;
      return this;
    }

    public Builder scope(String scope) {
      this.scope = scope;
      return this;
    }

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder value(CanonicalValue value) {
      this.value = value;
      return this;
    }

    /** @throws NonCanonicalValueException when a member cannot be written canonically, or a required one is missing */
    public CanonicalPayload build() {
      if (!hasCreatedAt) {
        throw new NonCanonicalValueException("createdAt", "is required");
      }
      CanonicalNumbers.canonical(createdAt, "createdAt", Long.toString(createdAt));
      if (type == null) {
        throw new NonCanonicalValueException("type", "is required");
      }
      check(action, "action");
      check(clientId, "clientId");
      check(deviceId, "deviceId");
      check(instanceId, "instanceId");
      check(replyToken, "replyToken");
      check(scope, "scope");
      check(type, "type");
      return new CanonicalPayload(this);
    }

    private static void check(String v, String name) {
      if (v != null) {
        CanonicalRules.checkString(v, name);
      }
    }
  }
}
