package io.switchboard.codec.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Random payloads signed by the broker pass all three device-side checks of devices.md §4.3: (a) the ESP's HMAC
 * over the raw text between {@code "payload":} and {@code ,"signature"}, (b) Node.js's
 * {@code JSON.stringify(JSON.parse(msg).payload)} and (c) Python's {@code json.dumps(payload, separators=(",",":"))}
 * reproduce P byte for byte. (b) and (c) run the real interpreters once over the whole batch after the tries.
 */
class CanonicalPayloadPropertiesTest {
  private static final Logger log = LoggerFactory.getLogger(CanonicalPayloadPropertiesTest.class);
  private static final int TRIES = 300;
  private static final long MAX_SAFE = CanonicalNumbers.MAX_SAFE_INTEGER;

  /** Messages built for NodeJS (raw UTF-8) and for Python (ASCII escapes), from every try. */
  private static final List<String> forNode = Collections.synchronizedList(new ArrayList<>());
  private static final List<String> forPython = Collections.synchronizedList(new ArrayList<>());

  private final DeviceMessageSigner signer = new DeviceMessageSigner(1 << 20);

  @BeforeProperty
  void clearBatches() {
    forNode.clear();
    forPython.clear();
  }

  @Property(tries = TRIES)
  void sign_thenVerifiesOverTheRawPayloadText(@ForAll("cases") Case c) {
    for (StringEscaping escaping : StringEscaping.values()) {
      ByteBuf msg = signer.sign(ByteBufAllocator.DEFAULT, c.secret, c.payload, escaping);
      String text;
      try {
        text = msg.toString(StandardCharsets.UTF_8);
      } finally {
        msg.release();
      }
      assertThat(DeviceMessageSignerTest.verifiesLikeEsp(text, c.secret)).as(text).isTrue();
      assertThat(rawPayload(text)).isEqualTo(c.payload.toString(escaping));
      (escaping == StringEscaping.ASCII ? forPython : forNode).add(text);
    }
  }

  @AfterProperty
  void reserialisedByNodeAndPython_thenIdenticalToP() throws Exception {
    assertThat(forNode).hasSizeGreaterThanOrEqualTo(TRIES);
    int node = reserialise(forNode, "node", "reserialise.js");
    int python = reserialise(forPython, "python3", "reserialise.py");
    log.info("re-serialised identically to P: node {}/{}, python3 {}/{}", node, forNode.size(), python,
        forPython.size());
  }

  /** Runs {@code interpreter script in out} over the batch; returns how many payloads came back identical. */
  private static int reserialise(List<String> messages, String interpreter, String script) throws Exception {
    Path dir = Files.createTempDirectory("canonical-");
    try {
      Path in = dir.resolve("in.txt");
      Path out = dir.resolve("out.txt");
      Files.writeString(in, String.join("\n", messages) + "\n", StandardCharsets.UTF_8);
      Process process;
      try {
        process = new ProcessBuilder(interpreter, resource(script).toString(), in.toString(), out.toString())
            .redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new TestAbortedException(interpreter + " is not installed; its re-serialisation check was skipped", e);
      }
      boolean done = process.waitFor(120, TimeUnit.SECONDS);
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(done).as(interpreter + " finished").isTrue();
      assertThat(process.exitValue()).as(interpreter + " failed: " + output).isZero();
      List<String> got = List.of(Files.readString(out, StandardCharsets.UTF_8).split("\n"));
      assertThat(got).hasSize(messages.size());
      List<String> mismatches = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        String expected = rawPayload(messages.get(i));
        if (!got.get(i).equals(expected)) {
          mismatches.add("\n  signed: " + expected + "\n  " + interpreter + ": " + got.get(i));
        }
      }
      assertThat(mismatches).as(interpreter + " re-serialised differently").isEmpty();
      return messages.size();
    } finally {
      try (var files = Files.list(dir)) {
        files.forEach(p -> p.toFile().delete());
      }
      Files.deleteIfExists(dir);
    }
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(CanonicalPayloadPropertiesTest.class.getResource(name).toURI());
  }

  /** P as the ESP cuts it: between the first {@code "payload":} and the next {@code ,"signature"}. */
  private static String rawPayload(String message) {
    int begin = message.indexOf("\"payload\":") + "\"payload\":".length();
    return message.substring(begin, message.indexOf(",\"signature\"", begin));
  }

  static final class Case {
    final CanonicalPayload payload;
    final String secret;

    Case(CanonicalPayload payload, String secret) {
      this.payload = payload;
      this.secret = secret;
    }

    @Override
    public String toString() {
      return payload + " signed with " + secret;
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<String> optionalText = text().injectNull(0.2);
    return Combinators.combine(text(), optionalText, optionalText, optionalText,
            Arbitraries.of("module", "device").injectNull(0.6), Arbitraries.longs().between(0, MAX_SAFE),
            object(3), Arbitraries.strings().ascii().ofMinLength(32).ofMaxLength(80))
        .as((action, clientId, deviceId, instanceId, scope, createdAt, value, secret) -> new Case(
            CanonicalPayload.builder().action(action).clientId(clientId).createdAt(createdAt)
                .deviceAttributes(deviceId != null).deviceId(deviceId).instanceId(instanceId)
                .replyToken(UUID.randomUUID().toString()).scope(scope).type("request")
                .value(CanonicalValue.of(value)).build(),
            secret));
  }

  /** Strings over every kind of character that is allowed: controls, quotes, backslash, BMP, astral. */
  private static Arbitrary<String> text() {
    Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.integers().between(0x20, 0x7E)),
        Tuple.of(2, Arbitraries.integers().between(0x00, 0x1F)),
        Tuple.of(2, Arbitraries.of((int) '"', (int) '\\', (int) '/')),
        Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
        Tuple.of(2, Arbitraries.integers().between(0x800, 0xD7FF)),
        Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
        Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    return codePoint.list().ofMaxSize(12)
        .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
  }

  private static Arbitrary<String> key() {
    return text().filter(k -> !k.matches("[0-9]+") && !k.equals("signature"));
  }

  private static Arbitrary<Object> number() {
    Arbitrary<Object> integers = Arbitraries.oneOf(
        Arbitraries.longs().between(-MAX_SAFE, MAX_SAFE),
        Arbitraries.longs().between(-1000, 1000),
        Arbitraries.of(MAX_SAFE, -MAX_SAFE, 0L));
    Arbitrary<Object> notable = Arbitraries.of(0.1, 21.5, 1e15 + 0.5, 0.0005, 0.0001, -75.3, 0.30000000000000004,
        123.456, 4503599627370495.5, 3.0, -0.0, 1e15, -1.0, 9007199254740991.0, 2.5e-4, 1.7976931348623157e-4);
    Arbitrary<Object> anyBits = Combinators.combine( // every mantissa, exponents 2^-14 .. 2^52
            Arbitraries.longs().between(0, (1L << 52) - 1), Arbitraries.integers().between(-14, 52),
            Arbitraries.of(0L, 1L << 63))
        .as((mantissa, exponent, sign) -> Double.longBitsToDouble(sign | (1023L + exponent) << 52 | mantissa))
        .filter(d -> Math.abs(d) >= CanonicalNumbers.MIN_FRACTION_MAGNITUDE)
        .map(d -> (Object) d);
    Arbitrary<Object> shortDecimals = Arbitraries.bigDecimals().between(
            java.math.BigDecimal.valueOf(-1_000_000), java.math.BigDecimal.valueOf(1_000_000)).ofScale(4)
        .map(java.math.BigDecimal::doubleValue)
        .filter(d -> d == 0 || Math.abs(d) >= CanonicalNumbers.MIN_FRACTION_MAGNITUDE)
        .map(d -> (Object) d);
    return Arbitraries.frequencyOf(
        Tuple.of(3, integers), Tuple.of(2, notable), Tuple.of(4, anyBits), Tuple.of(3, shortDecimals));
  }

  private static Arbitrary<Object> leaf() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, text().map(s -> (Object) s)),
        Tuple.of(4, number()),
        Tuple.of(1, Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.4).map(b -> (Object) b)));
  }

  private static Arbitrary<Object> member(int depth) {
    if (depth == 0) {
      return leaf();
    }
    return Arbitraries.frequencyOf(
        Tuple.of(6, leaf()),
        Tuple.of(1, object(depth - 1).map(m -> (Object) m)),
        Tuple.of(1, member(depth - 1).list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l))));
  }

  private static Arbitrary<Map<String, Object>> object(int depth) {
    return Combinators.combine(key().list().uniqueElements().ofMaxSize(6), member(depth).list().ofSize(6))
        .as((keys, values) -> {
          Map<String, Object> map = new LinkedHashMap<>();
          for (int i = 0; i < keys.size(); i++) {
            map.put(keys.get(i), values.get(i));
          }
          return map;
        });
  }
}
