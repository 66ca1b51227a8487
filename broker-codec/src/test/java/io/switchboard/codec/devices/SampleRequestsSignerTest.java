package io.switchboard.codec.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.switchboard.codec.auth.SharedContracts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every published request sample (../vectors/sinricpro/**&#47;01_Request.json), rebuilt by the broker's signer with a
 * fresh createdAt and replyToken: it verifies over its raw payload text and has the sample's shape.
 */
class SampleRequestsSignerTest {
  static final List<String> CANONICAL_ORDER = List.of("action", "clientId", "createdAt", "deviceAttributes",
      "deviceId", "instanceId", "replyToken", "scope", "type", "value");

  @Test
  void sign_whenEveryPublishedRequestSample_thenVerifiesAndKeepsItsShape() throws IOException {
    Optional<Path> shared = SharedContracts.dir();
    assertThat(shared).as("the test copy of the shared contracts (broker-codec/src/test/resources/shared)").isPresent();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(shared.get().resolve("vectors/sinricpro"))) {
      files = walk.filter(p -> p.getFileName().toString().equals("01_Request.json")).sorted()
          .collect(Collectors.toList());
    }
    assertThat(files).hasSize(34);

    DeviceMessageSigner signer = new DeviceMessageSigner();
    List<String> checked = new ArrayList<>();
    for (Path file : files) {
      for (String object : JsonTrees.topLevelObjects(Files.readString(file))) {
        Object tree = JsonTrees.parse(object);
        Object sample = tree instanceof Map ? ((Map<?, ?>) tree).get("payload") : null;
        if (!(sample instanceof Map) || !"request".equals(((Map<?, ?>) sample).get("type"))) {
          continue;
        }
        Map<?, ?> fields = (Map<?, ?>) sample;
        for (StringEscaping escaping : StringEscaping.values()) {
          String message = sign(signer, build(fields), escaping);
          assertThat(DeviceMessageSignerTest.verifiesLikeEsp(message)).as(file + ": " + message).isTrue();
          Map<?, ?> ours = (Map<?, ?>) ((Map<?, ?>) JsonTrees.parse(message)).get("payload");
          assertThat(JsonTrees.shape(ours)).as(file.toString()).isEqualTo(JsonTrees.shape(fields));
          assertThat(new ArrayList<>(ours.keySet()))
              .isEqualTo(CANONICAL_ORDER.stream().filter(ours::containsKey).collect(Collectors.toList()));
          assertThat(ours.get("value")).isEqualTo(fields.get("value"));
        }
        checked.add(file.getParent().getFileName() + "/" + fields.get("action"));
      }
    }
    assertThat(checked).as("requests in the 34 files, several holding more than one").hasSize(40);
  }

  @SuppressWarnings("unchecked")
  private static CanonicalPayload build(Map<?, ?> f) {
    CanonicalPayload.Builder b = CanonicalPayload.builder()
        .action((String) f.get("action"))
        .clientId((String) f.get("clientId"))
        .createdAt(System.currentTimeMillis() / 1000)
        .deviceAttributes(f.containsKey("deviceAttributes"))
        .deviceId((String) f.get("deviceId"))
        .instanceId((String) f.get("instanceId"))
        .replyToken(UUID.randomUUID().toString())
        .scope((String) f.get("scope"))
        .type("request");
    if (f.containsKey("value")) {
      b.value(CanonicalValue.of((Map<String, ?>) f.get("value")));
    }
    return b.build();
  }

  private static String sign(DeviceMessageSigner signer, CanonicalPayload p, StringEscaping escaping) {
    ByteBuf msg = signer.sign(PooledByteBufAllocator.DEFAULT, DeviceMessageSignerTest.SECRET, p, escaping);
    try {
      return msg.toString(StandardCharsets.UTF_8);
    } finally {
      msg.release();
    }
  }
}
