package io.switchboard.codec.json;

/** Device frames exactly as printed in ../shared/protocols/devices.md, and the paths the devices dialect reads. */
final class DeviceMessages {
  private DeviceMessages() {}

  /** §3.4: a Node.js response whose HMAC covers the payload without its trailing instanceId. */
  static final String NODE_RESPONSE_WITH_INSTANCE_ID = "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},"
      + "\"payload\":{\"action\":\"setToggleState\",\"clientId\":\"portal\",\"createdAt\":1795493900,"
      + "\"deviceId\":\"5dc1564130aabbccddeeff00\",\"message\":\"OK\","
      + "\"replyToken\":\"0b6f2c1e-7d4a-4c59-9a0e-3f1d2b8c4e71\",\"scope\":\"device\",\"success\":true,"
      + "\"type\":\"response\",\"value\":{\"state\":\"Off\"},\"instanceId\":\"instance1\"},"
      + "\"signature\":{\"HMAC\":\"G+1FQkg+YRv9ZQ7R9QOxG7oAOf6iLgsJ5oz1AxNa/K4=\"}}";

  /** §5.3: a response. */
  static final String RESPONSE = "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},"
      + "\"payload\":{\"action\":\"setPowerState\",\"clientId\":\"alexa-skill\",\"createdAt\":1795493877,"
      + "\"deviceId\":\"5dc1564130aabbccddeeff00\",\"message\":\"OK\","
      + "\"replyToken\":\"adf6d529-3f22-4977-8284-04d9c5b0ca85\",\"scope\":\"device\",\"success\":true,"
      + "\"type\":\"response\",\"value\":{\"state\":\"On\"}},"
      + "\"signature\":{\"HMAC\":\"TfdHg0mZMIq1iLOeeoQGUaopc/yNhjkXg7RvJ7RDykA=\"}}";

  /** §5.4: a real Node.js event, members not in alphabetical order. */
  static final String NODE_EVENT = "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},"
      + "\"payload\":{\"action\":\"setPowerState\",\"deviceId\":\"5dc1564130aabbccddeeff00\","
      + "\"replyToken\":\"1795493878807-eohr4cwr5\",\"type\":\"event\",\"createdAt\":1795493878,"
      + "\"cause\":{\"type\":\"PHYSICAL_INTERACTION\"},\"value\":{\"state\":\"On\"}},"
      + "\"signature\":{\"HMAC\":\"EN0PPJg0htVS9MWiXufgDCbzZ1g0HJIXN2hnUNe2DBU=\"}}";

  /** §5.4: a sensor event with a float. */
  static final String SENSOR_EVENT = "{\"header\":{\"payloadVersion\":2,\"signatureVersion\":1},"
      + "\"payload\":{\"action\":\"currentTemperature\",\"cause\":{\"type\":\"PERIODIC_POLL\"},"
      + "\"createdAt\":1795493930,\"deviceId\":\"5dc1564130aabbccddeeff00\","
      + "\"replyToken\":\"4f1c2d3e-5a6b-4c7d-8e9f-a0b1c2d3e4f5\",\"type\":\"event\","
      + "\"value\":{\"humidity\":75.3,\"temperature\":24}},"
      + "\"signature\":{\"HMAC\":\"97kc0W1xWYTcjCpIzbpFvHi9vwbv7VVeYgRdTe3SkeM=\"}}";

  static final JsonPaths PATHS = JsonPaths.builder()
      .field("header.payloadVersion")
      .field("header.signatureVersion")
      .lastMember("payload")
      .text("payload.type", 16)
      .text("payload.action", 64)
      .text("payload.deviceId", 24)
      .text("payload.replyToken", 64)
      .field("payload.createdAt")
      .text("payload.instanceId", 64)
      .text("payload.scope", 16)
      .field("payload.success")
      .text("payload.message", 256)
      .text("payload.clientId", 64)
      .field("payload.value")
      .text("payload.cause.type", 32)
      .text("signature.HMAC", 64)
      .build();

  static final int PAYLOAD_VERSION = PATHS.slot("header.payloadVersion");
  static final int SIGNATURE_VERSION = PATHS.slot("header.signatureVersion");
  static final int PAYLOAD = PATHS.slot("payload");
  static final int TYPE = PATHS.slot("payload.type");
  static final int ACTION = PATHS.slot("payload.action");
  static final int DEVICE_ID = PATHS.slot("payload.deviceId");
  static final int REPLY_TOKEN = PATHS.slot("payload.replyToken");
  static final int CREATED_AT = PATHS.slot("payload.createdAt");
  static final int INSTANCE_ID = PATHS.slot("payload.instanceId");
  static final int SCOPE = PATHS.slot("payload.scope");
  static final int SUCCESS = PATHS.slot("payload.success");
  static final int MESSAGE = PATHS.slot("payload.message");
  static final int CLIENT_ID = PATHS.slot("payload.clientId");
  static final int VALUE = PATHS.slot("payload.value");
  static final int CAUSE_TYPE = PATHS.slot("payload.cause.type");
  static final int HMAC = PATHS.slot("signature.HMAC");

  /**
   * The payload text of a compact, header-payload-signature ordered message, found by plain string search: fine as a
   * test oracle for these known messages, which is exactly what the scanner must not rely on.
   */
  static String payloadText(String message) {
    int from = message.indexOf("\"payload\":") + "\"payload\":".length();
    int to = message.lastIndexOf(",\"signature\":");
    return message.substring(from, to);
  }
}
