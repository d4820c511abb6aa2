package cn.kameng.refunddesk.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image Jib built (target/container/refund-dispute-service-image.tar) starts and stops the way an operator's
 * container runtime would run it, with no Docker daemon: its layers unpacked in order into a root file system, the
 * runtime's part played by hand (a private mount namespace with /proc, the device nodes a runtime creates, the
 * host's /etc/hosts), and then exactly what the image's own configuration says: its entrypoint, environment,
 * working directory and user. The service answers its probes, runs as the image's unprivileged user, and stops on
 * SIGTERM gracefully. Needs root (chroot, mount), as the CI machine has.
 */
class ContainerImageIT {

    static final Path IMAGE = Path.of("target/container/refund-dispute-service-image.tar");
    static final Path WORK = Path.of("target/container/run");
    static final ObjectMapper JSON = new ObjectMapper();

    static Path rootfs;
    static JsonNode config;

    @BeforeAll
    static void unpackTheImage() throws Exception {
        assertThat(IMAGE).as("the image tar Jib builds in the package phase (mvn package)").exists();
        assertThat(run("id", "-u").trim()).as("this test starts the image with chroot and mount: run it as root, as CI"
                + " does (or build with -Dcontainer.skip=true)").isEqualTo("0");
        run("rm", "-rf", WORK.toString());
        Path image = Files.createDirectories(WORK.resolve("image"));
        rootfs = Files.createDirectories(WORK.resolve("rootfs"));
        run("tar", "--warning=no-unknown-keyword", "-xf", IMAGE.toString(), "-C", image.toString());
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile());
        for (JsonNode layer : manifest.get("Layers")) { // in order: the base first, the service's classes last
            run("tar", "--warning=no-unknown-keyword", "-xf", image.resolve(layer.asText()).toString(), "-C",
                    rootfs.toString());
        }
        // what a container runtime adds: device nodes and the host names
        for (String[] dev : new String[][] {{"null", "1", "3"}, {"zero", "1", "5"}, {"random", "1", "8"},
                {"urandom", "1", "9"}}) {
            run("mknod", "-m", "666", rootfs.resolve("dev/" + dev[0]).toString(), "c", dev[1], dev[2]);
        }
        Files.copy(Path.of("/etc/hosts"), rootfs.resolve("etc/hosts"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterAll
    static void removeTheRootFileSystem() throws Exception {
        // nothing is mounted here outside the service's own (gone) mount namespace
        run("rm", "-rf", WORK.toString());
    }

    @Test
    void theImageRunsTheServiceAsItsOwnUserAnswersItsProbesAndStopsGracefullyOnSigterm() throws Exception {
        JsonNode c = config.get("config");
        assertThat(c.get("User").asText()).as("the image's user").isEqualTo("10001:10001");
        assertThat(c.get("ExposedPorts").has("8080/tcp")).isTrue();
        List<String> entrypoint = new ArrayList<>();
        c.get("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint.get(0)).as("the image starts java from Debian's JRE on the PATH").isEqualTo("java");

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String workingDir = c.get("WorkingDir").asText();
        // a private mount namespace: its /proc mount ends with the service. The sh -c takes rootfs, user and
        // working directory; what follows them is the image's command line.
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "root=$1; user=$2; wd=$3; shift 3; mount -t proc proc \"$root/proc\" && exec chroot --userspec=\"$user\""
                        + " \"$root\" /bin/sh -c 'cd \"$1\" && shift && exec \"$@\"' sh \"$wd\" \"$@\"",
                "sh", rootfs.toAbsolutePath().toString(), c.get("User").asText(), workingDir));
        command.addAll(entrypoint);
        command.add("--server.port=" + port);
        ProcessBuilder service = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(WORK.resolve("service.log").toFile());
        service.environment().clear();
        c.get("Env").forEach(e -> {
            String[] kv = e.asText().split("=", 2);
            service.environment().put(kv[0], kv[1]);
        });
        Process node = service.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            assertThat(waitFor200(http, port, "/actuator/health/readiness", Duration.ofSeconds(240), node))
                    .as("readiness within 4 minutes; the service's log:\n" + log()).isTrue();
            HttpResponse<String> liveness = get(http, port, "/actuator/health/liveness");
            assertThat(liveness.statusCode()).as("liveness: " + liveness.body()).isEqualTo(200);
            assertThat(get(http, port, "/api/v1/disputes/D-none").statusCode())
                    .as("the API asks for credentials").isEqualTo(401);
            assertThat(Files.readString(Path.of("/proc/" + node.pid() + "/status")))
                    .as("the service runs as the image's unprivileged user, not root").containsPattern("Uid:\\s+10001\\s");

            node.destroy(); // SIGTERM, what `docker stop` sends
            assertThat(node.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s of SIGTERM").isTrue();
            assertThat(log()).contains("Graceful shutdown complete");
            assertThat(node.exitValue()).as("exit status after SIGTERM (128 + 15)").isEqualTo(143);
        } finally {
            node.destroyForcibly();
        }
    }

    private static boolean waitFor200(HttpClient http, int port, String path, Duration within, Process node)
            throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end && node.isAlive()) {
            try {
                if (get(http, port, path).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        return false;
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String log() throws IOException {
        Path log = WORK.resolve("service.log");
        if (!Files.exists(log)) {
            return "";
        }
        String all = Files.readString(log, StandardCharsets.UTF_8);
        return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
