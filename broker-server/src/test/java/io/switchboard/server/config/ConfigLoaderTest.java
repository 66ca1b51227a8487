package io.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.config.AdminConfig;
import io.switchboard.core.config.BrokerConfig;
import io.switchboard.core.config.ConfigException;
import io.switchboard.core.config.Durability;
import io.switchboard.core.config.LogConfig;
import io.switchboard.core.config.ServerLimits;
import io.switchboard.core.config.StoreEngine;
import io.switchboard.core.config.TlsConfig;
import io.switchboard.core.config.TransportKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String TOKEN = "s3cret-admin-token-0123456789";

  /** Every key of the table, each away from its default. */
  private static final String EVERY_KEY = """
      server:
        host: 127.0.0.1
        port: 9090
        transport: nio
        ioThreads: 3
        handshakeTimeout: 7s
        drainTimeout: 2m
        maxConnections: 1000
        maxConnectionsPerIp: 10
        writeBufferHighWaterMark: 256KiB
        writeBufferLowWaterMark: 1000
        limits:
          maxInitialLineBytes: 2KiB
          maxHeaderBytes: 16KiB
          maxHttpBodyBytes: 2MiB
          maxFramePayloadBytes: 15000
          maxMessageBytes: 4MiB
        tls:
          enabled: true
          certChain: /etc/sb/chain.pem
          privateKey: /etc/sb/key.pem
          keyPassword: hunter2
      store:
        engine: memory
        dataDir: /var/lib/switchboard
        durability: sync
        batchInterval: 500us
        expirySweepInterval: 1h
        blockCacheBytes: 1GiB
        writeBufferBytes: 16MiB
      admin:
        token: %s
      log:
        format: json
        level: debug
      devices:
        replyDeadline: 5s
        listeners: [127.0.0.1:8081, "0.0.0.0:80"]
        maxDevicesPerConnection: 10
        permessageDeflate: false
        pingInterval: 30s
        readIdleTimeout: 400s
        verify:
          window: 30s
          maxFailures: 5
          failureWindow: 2m
        rateLimit:
          stateInterval: 2s
          sensorInterval: 30s
          sensorActions: currentTemperature
          tolerance: 0.1
        caller:
          maxPendingPerDevice: 4
          maxPendingTotal: 1000
          maxBodyBytes: 8KiB
          defaultClientId: portal
        limits:
          maxInboundBytes: 32KiB
          maxJsonDepth: 8
          maxStringChars: 1000
          maxOutboundBytes: 10000
        feed:
          heartbeat: 5s
          retainItems: 10
          subscriberQueue: 20
        activityLog:
          maxEntries: 50
        restore:
          actions: [setPowerState]
      bots:
        replyDeadline: 3s
        redeliveryAfter: 30s
        retention: 1d
        errorPause: 500ms
        maxConnectionsPerBot: 4
        pingInterval: 10s
        readIdleTimeout: 40s
        gzipLevel: 6
        listeners: [127.0.0.1:8082]
        quota:
          messagesPerMinute: 500
        limits:
          maxFrameBytes: 128KiB
          maxInflatedBytes: 512KiB
          maxJsonDepth: 20
          maxDataBytes: 32KiB
        rest:
          maxBodyBytes: 64KiB
          maxBatch: 50
        auth:
          maxIatSkew: 120s
          failureDelay: 2s
          allowRs512: true
          throttle:
            window: 30s
            maxFailuresPerIp: 5
            maxFailuresPerUid: 3
      rooms:
        authTimeout: 0s
        maxSocketsPerRoom: 50
        socketQueue: 16
        pingInterval: 20s
        readIdleTimeout: 60s
        listeners: [127.0.0.1:8083]
        auth:
          clockSkew: 30s
        limits:
          maxInboundFrameBytes: 2048
          maxBodyBytes: 8KiB
          maxTextBytes: 1000
          maxSlugChars: 64
        rateLimit:
          messages: 5
          window: 20s
        history:
          maxPage: 50
          maxPerRoom: 500
      widgets:
        listeners: [127.0.0.1:8084]
        maxSubscriptionsPerIp: 5
        maxSubscribersPerStream: 100
        tokenGrace: 60s
        subscriberQueue: 50
        heartbeat: 5s
        pingInterval: 6s
        readIdleTimeout: 20s
        limits:
          maxBodyBytes: 8KiB
          maxJsonDepth: 10
          maxEventBytes: 128KiB
        request:
          maxMessages: 20
        history:
          maxPerStream: 200
          maxAge: 1d
        resume:
          maxEvents: 300
          privateRetention: 30s
        rateLimit:
          publishPerSecond: 5
          burst: 7
        webhook:
          perKeyPerMinute: 30
          workers: 4
          queueSize: 10
          timeout: 2s
          maxRetries: 1
          maxBodyBytes: 1024
          allowedPorts: [443, 8443]
          allow: [10.1.0.0/16, hooks.internal]
      demo:
        enabled: true
      """.formatted(TOKEN);

  @TempDir
  Path dir;

  private Path file(String yaml) throws IOException {
    Path f = dir.resolve("broker.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private static BrokerConfig load(Path file, Map<String, String> env) {
    return ConfigLoader.load(file, env, Map.of(), w -> { });
  }

  private ConfigException error(String yaml) throws IOException {
    Path f = file(yaml);
    try {
      load(f, Map.of());
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("no ConfigException for:\n" + yaml);
  }

  @Test
  void readsEveryKeyOfEveryType() throws IOException {
    BrokerConfig.Builder expected = BrokerConfig.builder();
    expected.server()
        .host("127.0.0.1").port(9090).transport(TransportKind.NIO).ioThreads(3)
        .handshakeTimeout(Duration.ofSeconds(7)).drainTimeout(Duration.ofMinutes(2))
        .maxConnections(1000).maxConnectionsPerIp(10)
        .writeBufferHighWaterMark(256 << 10).writeBufferLowWaterMark(1000)
        .limits(new ServerLimits(2048, 16384, 2 << 20, 15000, 4 << 20))
        .tls(new TlsConfig(true, Path.of("/etc/sb/chain.pem"), Path.of("/etc/sb/key.pem"), "hunter2"));
    expected.store()
        .engine(StoreEngine.MEMORY).dataDir(Path.of("/var/lib/switchboard")).durability(Durability.SYNC)
        .batchInterval(Duration.ofNanos(500_000)).expirySweepInterval(Duration.ofHours(1))
        .blockCacheBytes(1L << 30).writeBufferBytes(16L << 20);
    expected.admin(new AdminConfig(TOKEN)).log(new LogConfig("json", "DEBUG"));
    expected.devices(io.switchboard.core.config.DevicesConfig.builder()
        .replyDeadline(Duration.ofSeconds(5)).listeners(List.of("127.0.0.1:8081", "0.0.0.0:80"))
        .maxDevicesPerConnection(10).permessageDeflate(false).pingInterval(Duration.ofSeconds(30))
        .readIdleTimeout(Duration.ofSeconds(400)).verifyWindow(Duration.ofSeconds(30)).maxFailures(5)
        .failureWindow(Duration.ofMinutes(2)).stateInterval(Duration.ofSeconds(2))
        .sensorInterval(Duration.ofSeconds(30)).sensorActions(List.of("currentTemperature")).rateTolerance(0.1)
        .maxPendingPerDevice(4).maxPendingTotal(1000).callerMaxBodyBytes(8 << 10).defaultClientId("portal")
        .maxInboundBytes(32 << 10).maxJsonDepth(8).maxStringChars(1000).maxOutboundBytes(10000)
        .feedHeartbeat(Duration.ofSeconds(5)).feedRetainItems(10).feedSubscriberQueue(20)
        .activityLogMaxEntries(50).restoreActions(List.of("setPowerState")).build());
    expected.bots(io.switchboard.core.config.BotsConfig.builder()
        .replyDeadline(Duration.ofSeconds(3)).redeliveryAfter(Duration.ofSeconds(30)).retention(Duration.ofDays(1))
        .errorPause(Duration.ofMillis(500)).maxConnectionsPerBot(4).pingInterval(Duration.ofSeconds(10))
        .readIdleTimeout(Duration.ofSeconds(40)).gzipLevel(6).listeners(List.of("127.0.0.1:8082"))
        .messagesPerMinute(500).maxFrameBytes(128 << 10).maxInflatedBytes(512 << 10).maxJsonDepth(20)
        .maxDataBytes(32 << 10).restMaxBodyBytes(64 << 10).restMaxBatch(50).maxIatSkew(Duration.ofSeconds(120))
        .failureDelay(Duration.ofSeconds(2)).allowRs512(true).throttleWindow(Duration.ofSeconds(30))
        .maxFailuresPerIp(5).maxFailuresPerUid(3).build());
    expected.rooms(io.switchboard.core.config.RoomsConfig.builder().authTimeout(Duration.ZERO).maxSocketsPerRoom(50)
        .socketQueue(16).pingInterval(Duration.ofSeconds(20)).readIdleTimeout(Duration.ofSeconds(60))
        .listeners(List.of("127.0.0.1:8083")).clockSkew(Duration.ofSeconds(30)).maxInboundFrameBytes(2048)
        .maxBodyBytes(8 << 10).maxTextBytes(1000).maxSlugChars(64).rateLimitMessages(5)
        .rateLimitWindow(Duration.ofSeconds(20)).historyMaxPage(50).historyMaxPerRoom(500).build());
    expected.widgets(io.switchboard.core.config.WidgetsConfig.builder().listeners(List.of("127.0.0.1:8084"))
        .maxSubscriptionsPerIp(5).maxSubscribersPerStream(100).tokenGrace(Duration.ofSeconds(60))
        .subscriberQueue(50).heartbeat(Duration.ofSeconds(5)).pingInterval(Duration.ofSeconds(6))
        .readIdleTimeout(Duration.ofSeconds(20)).maxBodyBytes(8 << 10).maxJsonDepth(10).maxEventBytes(128 << 10)
        .requestMaxMessages(20).historyMaxPerStream(200).historyMaxAge(Duration.ofDays(1)).resumeMaxEvents(300)
        .privateRetention(Duration.ofSeconds(30)).publishPerSecond(5).publishBurst(7).webhookPerKeyPerMinute(30)
        .webhookWorkers(4).webhookQueueSize(10).webhookTimeout(Duration.ofSeconds(2)).webhookMaxRetries(1)
        .webhookMaxBodyBytes(1024).webhookAllowedPortNumbers(List.of(443, 8443))
        .webhookAllow(List.of("10.1.0.0/16", "hooks.internal")).build());
    expected.demoPages(true);

    assertThat(load(file(EVERY_KEY), Map.of())).isEqualTo(expected.build());
  }

  @Test
  void theEveryKeyFixtureCoversTheWholeTable() throws IOException {
    Set<String> inFixture = new TreeSet<>(YamlConfigFile.read(file(EVERY_KEY)).keySet());
    assertThat(inFixture).containsAll(ConfigKeys.all().stream().map(ConfigKey::path).toList());
  }

  @Test
  void emptyFileCommentsOnlyAndNoFileGiveTheDefaults() throws IOException {
    assertThat(load(file(""), Map.of())).isEqualTo(BrokerConfig.defaults());
    assertThat(load(file("# nothing here\n\n"), Map.of())).isEqualTo(BrokerConfig.defaults());
    assertThat(load(null, Map.of())).isEqualTo(BrokerConfig.defaults());
    assertThat(load(file("server:\nadmin:\n"), Map.of())).isEqualTo(BrokerConfig.defaults());
  }

  @Test
  void environmentWinsOverTheFile() throws IOException {
    Path f = file("server:\n  port: 9090\n  host: 127.0.0.1\nstore:\n  dataDir: /from/file\n");
    BrokerConfig c = load(f, Map.of(
        "SWITCHBOARD_SERVER_PORT", "9191",
        "SWITCHBOARD_STORE_DATA_DIR", "/from/env",
        "SWITCHBOARD_ADMIN_TOKEN", TOKEN,
        "SWITCHBOARD_SERVER_LIMITS_MAX_FRAME_PAYLOAD_BYTES", "128KiB",
        "SWITCHBOARD_STORE_BATCH_INTERVAL", "8ms",
        "SWITCHBOARD_LOG_FORMAT", "text",
        "PATH", "/usr/bin"));
    assertThat(c.server().port()).isEqualTo(9191);
    assertThat(c.server().host()).isEqualTo("127.0.0.1"); // from the file: no variable for it
    assertThat(c.store().dataDir()).isEqualTo(Path.of("/from/env"));
    assertThat(c.admin().token()).isEqualTo(TOKEN);
    assertThat(c.server().limits().maxFramePayloadBytes()).isEqualTo(128 << 10);
    assertThat(c.store().batchInterval()).isEqualTo(Duration.ofMillis(8));
    assertThat(c.log().format()).isEqualTo("text");
  }

  @Test
  void overridesWinOverTheEnvironment() throws IOException {
    BrokerConfig c = ConfigLoader.load(file("server:\n  port: 1\n"), Map.of("SWITCHBOARD_SERVER_PORT", "2"),
        Map.of("server.port", "3", "store.dataDir", "/tmp/flag"), w -> { });
    assertThat(c.server().port()).isEqualTo(3);
    assertThat(c.store().dataDir()).isEqualTo(Path.of("/tmp/flag"));
  }

  @Test
  void environmentNamesAreUpperSnakeCaseOfTheDottedPath() {
    assertThat(ConfigKeys.require("store.dataDir").envName()).isEqualTo("SWITCHBOARD_STORE_DATA_DIR");
    assertThat(ConfigKeys.require("admin.token").envName()).isEqualTo("SWITCHBOARD_ADMIN_TOKEN");
    assertThat(ConfigKeys.require("server.limits.maxFramePayloadBytes").envName())
        .isEqualTo("SWITCHBOARD_SERVER_LIMITS_MAX_FRAME_PAYLOAD_BYTES");
    assertThat(ConfigKeys.require("server.maxConnectionsPerIp").envName())
        .isEqualTo("SWITCHBOARD_SERVER_MAX_CONNECTIONS_PER_IP");
    assertThat(ConfigKeys.require("server.tls.keyPassword").envName())
        .isEqualTo("SWITCHBOARD_SERVER_TLS_KEY_PASSWORD");
  }

  @Test
  void unknownEnvironmentVariablesWarnWithASuggestionButDoNotFail() {
    List<String> warnings = new ArrayList<>();
    BrokerConfig c = ConfigLoader.load(null, Map.of(
        "SWITCHBOARD_SERVER_PROT", "1",
        "SWITCHBOARD_HEAP", "2g", // the launch script's own: not reported
        "SWITCHBOARD_JAVA_OPTS", "-Xss1m",
        "OTHER_TOOL_PORT", "3"), Map.of(), warnings::add);
    assertThat(c).isEqualTo(BrokerConfig.defaults());
    assertThat(warnings).containsExactly(
        "SWITCHBOARD_SERVER_PROT is not a config variable; ignored (did you mean SWITCHBOARD_SERVER_PORT?)");
  }

  @Test
  void emptyEnvironmentVariablesAreIgnoredWithAWarning() throws IOException {
    List<String> warnings = new ArrayList<>();
    BrokerConfig c = ConfigLoader.load(file("admin:\n  token: " + TOKEN + "\n"),
        Map.of("SWITCHBOARD_ADMIN_TOKEN", ""), Map.of(), warnings::add);
    assertThat(c.admin().token()).isEqualTo(TOKEN);
    assertThat(warnings).singleElement().asString().startsWith("SWITCHBOARD_ADMIN_TOKEN is empty");
  }

  @Test
  void loadWithoutAWarningSinkLogsInstead() {
    assertThat(ConfigLoader.load(null, Map.of("SWITCHBOARD_NOPE", "x"))).isEqualTo(BrokerConfig.defaults());
  }

  @Test
  void unknownKeyIsNamedWithTheNearestKnownKey() throws IOException {
    assertThat(error("server:\n  prot: 8080\n"))
        .hasMessage("server.prot: unknown key (did you mean server.port?)")
        .extracting(ConfigException::key).isEqualTo("server.prot");
    assertThat(error("store:\n  data_dir: /x\n"))
        .hasMessage("store.data_dir: unknown key (did you mean store.dataDir?)");
    assertThat(error("server:\n  dataDir: /x\n"))
        .hasMessage("server.dataDir: unknown key (did you mean store.dataDir?)");
    assertThat(error("sever:\n  port: 1\n")).hasMessage("sever: unknown key (did you mean server?)");
    assertThat(error("frobnicator:\n  enabled: true\n")).hasMessage("frobnicator: unknown key");
  }

  @Test
  void badDurationNamesTheKey() throws IOException {
    assertThat(error("store:\n  batchInterval: 5 parsecs\n"))
        .hasMessageStartingWith("store.batchInterval: '5 parsecs' is not a duration");
    assertThat(error("store:\n  batchInterval: 5\n"))
        .hasMessageStartingWith("store.batchInterval: '5' is not a duration");
    assertThat(error("server:\n  drainTimeout: 99999999999999999d\n"))
        .hasMessageStartingWith("server.drainTimeout: '99999999999999999d' is too large");
  }

  @Test
  void durationRangesAreTheRecordsOwn() throws IOException {
    assertThat(error("store:\n  batchInterval: 2s\n")).hasMessage("store.batchInterval: 2s (expected: <= 1s)");
  }

  @Test
  void badEnumNamesTheKeyAndTheChoices() throws IOException {
    assertThat(error("store:\n  durability: fast\n"))
        .hasMessage("store.durability: 'fast' (expected: one of none, batch, sync)");
    assertThat(error("server:\n  transport: kqueue\n"))
        .hasMessage("server.transport: 'kqueue' (expected: one of auto, epoll, nio)");
  }

  @Test
  void enumsAndLevelsAreCaseInsensitive() throws IOException {
    BrokerConfig c = load(file("store:\n  engine: RocksDB\nlog:\n  level: Warn\n  format: JSON\n"), Map.of());
    assertThat(c.store().engine()).isEqualTo(StoreEngine.ROCKSDB);
    assertThat(c.log()).isEqualTo(new LogConfig("json", "WARN"));
  }

  @Test
  void outOfRangeValueNamesTheKey() throws IOException {
    assertThat(error("server:\n  port: 70000\n"))
        .hasMessage("server.port: 70000 (expected: 0..65535, 0 picks a free port)")
        .extracting(ConfigException::key).isEqualTo("server.port");
    assertThat(error("log:\n  level: verbose\n")).hasMessageStartingWith("log.level: 'VERBOSE'");
  }

  @Test
  void environmentValuesAreValidatedLikeFileValues() {
    assertThatThrownBy(() -> load(null, Map.of("SWITCHBOARD_SERVER_PORT", "70000")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("server.port: 70000");
    assertThatThrownBy(() -> load(null, Map.of("SWITCHBOARD_SERVER_PORT", "eighty")))
        .isInstanceOf(ConfigException.class).hasMessage("server.port: 'eighty' is not an integer");
  }

  @Test
  void wrongTypesNameTheKeyAndWhatWasExpected() throws IOException {
    assertThat(error("server:\n  port: eighty\n")).hasMessage("server.port: 'eighty' is not an integer");
    assertThat(error("server:\n  port: 80.5\n")).hasMessage("server.port: '80.5' is not an integer");
    assertThat(error("server:\n  port:\n")).hasMessage("server.port: no value (expected: an integer)");
    assertThat(error("server:\n  maxConnections: 9999999999\n"))
        .hasMessageStartingWith("server.maxConnections: '9999999999' is too large");
    assertThat(error("server:\n  tls:\n    enabled: yes please\n"))
        .hasMessage("server.tls.enabled: 'yes please' (expected: true or false)");
    assertThat(error("server:\n  port: [1, 2]\n")).hasMessage("server.port: a list (expected: an integer)");
    assertThat(error("store:\n  dataDir:\n    a: b\n")).hasMessage("store.dataDir: a mapping (expected: a path)");
    assertThat(error("server: 8080\n"))
        .hasMessage("server: a single value (expected: a section of keys such as server.host)");
    assertThat(error("admin: leaked-token-value-123\n")).message().doesNotContain("leaked-token-value");
    assertThat(error("server:\n  limits:\n    maxHttpBodyBytes: 1 TB\n"))
        .hasMessageStartingWith("server.limits.maxHttpBodyBytes: '1 TB' is not a size");
    assertThat(error("server:\n  limits:\n    maxHttpBodyBytes: 2GiB\n"))
        .hasMessageStartingWith("server.limits.maxHttpBodyBytes: '2GiB' is too large");
    assertThat(error("store:\n  blockCacheBytes: 99999999999999999999\n"))
        .hasMessageStartingWith("store.blockCacheBytes: '99999999999999999999' is too large");
  }

  @Test
  void crossFieldRulesSeeTheFinalValuesWhateverTheOrder() throws IOException {
    // Raising the frame limit above the default message limit is valid once the message limit is raised too.
    String yaml = "server:\n  limits:\n    maxFramePayloadBytes: 2MiB\n    maxMessageBytes: 4MiB\n";
    assertThat(load(file(yaml), Map.of()).server().limits().maxFramePayloadBytes()).isEqualTo(2 << 20);
    BrokerConfig c = load(file("server:\n  limits:\n    maxMessageBytes: 4MiB\n"),
        Map.of("SWITCHBOARD_SERVER_LIMITS_MAX_FRAME_PAYLOAD_BYTES", "2MiB"));
    assertThat(c.server().limits().maxMessageBytes()).isEqualTo(4 << 20);

    assertThat(error("server:\n  limits:\n    maxFramePayloadBytes: 2MiB\n"))
        .hasMessage("server.limits.maxMessageBytes: 1048576 (expected: >= server.limits.maxFramePayloadBytes, "
            + "2097152)");
    assertThat(error("server:\n  tls:\n    enabled: true\n    privateKey: /k.pem\n"))
        .hasMessage("server.tls.certChain: missing (expected: a value)");
  }

  @Test
  void yamlSyntaxErrorsGiveLineAndColumn() throws IOException {
    Path f = file("server:\n  port: 8080\n  host: [oops\nstore: {}\n");
    assertThatThrownBy(() -> load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(f + ": line 4, column ");
    Path g = file("server:\n  port: 1\n  port: 2\n");
    assertThatThrownBy(() -> load(g, Map.of())).hasMessage(g + ": line 3, column 7: Duplicate field 'port'");
    Path h = file("just a string\n");
    assertThatThrownBy(() -> load(h, Map.of()))
        .hasMessage(h + ": expected a mapping of sections (server:, store:, ...) at the top");
  }

  @Test
  void missingFileIsAConfigErrorNamingIt() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> load(missing, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void verbatimValuesMustBeYamlStringsSoThatTheyAreNotSilentlyRewritten() throws IOException {
    // Unquoted, YAML reads 0x... as a number (printed in decimal) and yes as true.
    assertThat(error("admin:\n  token: 0xdeadbeefdeadbeefdead\n"))
        .hasMessage("admin.token: a YAML number (expected: a string; put the value in quotes to keep it as written)")
        .message().doesNotContain("deadbeef");
    assertThat(error("server:\n  host: yes\n")).hasMessageStartingWith("server.host: a YAML boolean");
    assertThat(error("store:\n  dataDir: 2024\n")).hasMessageStartingWith("store.dataDir: a YAML number");
    BrokerConfig c = load(file("admin:\n  token: '0xdeadbeefdeadbeefdead'\nstore:\n  dataDir: \"2024\"\n"), Map.of());
    assertThat(c.admin().token()).isEqualTo("0xdeadbeefdeadbeefdead");
    assertThat(c.store().dataDir()).isEqualTo(Path.of("2024"));
    // Converted values may be YAML numbers or strings alike.
    assertThat(load(file("server:\n  port: '9090'\n"), Map.of()).server().port()).isEqualTo(9090);
  }

  @Test
  void secretsNeverAppearInErrors() throws IOException {
    assertThat(error("admin:\n  token: short-secret\n"))
        .hasMessage("admin.token: too short (expected: at least 16 characters)")
        .message().doesNotContain("short-secret");
    Path f = file("admin:\n  token: leaked-token-value-123: oops\n");
    assertThatThrownBy(() -> load(f, Map.of())).message().doesNotContain("leaked-token-value");
    assertThat(load(file(EVERY_KEY), Map.of()).toString()).doesNotContain(TOKEN).doesNotContain("hunter2");
  }

  @Test
  void identities_areKeptAsJsonPerKind_andNeverPrinted() throws IOException {
    Path f = file("""
        server:
          port: 9000
        identities:
          apps:
            - appKey: app-1
              appSecret: very-secret-value
            - appKey: app-2
              appSecret: other-secret
          sites:
            - siteId: s1
        """);
    BrokerConfig c = load(f, Map.of());
    assertThat(c.identities().kinds()).containsExactly("apps", "sites");
    assertThat(c.identities().records("apps")).containsExactly(
        "{\"appKey\":\"app-1\",\"appSecret\":\"very-secret-value\"}",
        "{\"appKey\":\"app-2\",\"appSecret\":\"other-secret\"}");
    assertThat(c.toString()).contains("apps=2").doesNotContain("very-secret-value");
  }

  @Test
  void identities_whenNotAListOfRecords_thenNamesThePath() throws IOException {
    assertThatThrownBy(() -> load(file("identities:\n  apps: one\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("identities.apps");
    assertThatThrownBy(() -> load(file("identities:\n  apps:\n    - plain\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("identities.apps[0]");
    assertThatThrownBy(() -> load(file("identities: 3\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("identities");
  }
}
