package dev.gateway.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Decodes compressed bodies with independent implementations: the JDK for gzip, Debian's
 * {@code brotli} and {@code zstd} tools for the others (tests that need a tool skip when it is not
 * installed: {@code apt-get install brotli zstd}).
 */
final class Decoders {

    private Decoders() {
    }

    static byte[] decode(String coding, byte[] body) {
        switch (coding) {
            case "gzip":
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            case "br":
                return tool(List.of("brotli", "-d", "-c"), body);
            case "zstd":
                return tool(List.of("zstd", "-d", "-c", "-q"), body);
            default:
                throw new IllegalArgumentException(coding);
        }
    }

    static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Skips the test when Debian's decoder for {@code coding} is missing. */
    static void assumeDecoder(String coding) {
        String tool = coding.equals("br") ? "brotli" : coding;
        if (!coding.equals("gzip")) {
            assumeTrue(installed(tool), tool + " is not installed (apt-get install -y " + tool + ")");
        }
    }

    private static byte[] tool(List<String> command, byte[] input) {
        assumeDecoder(command.get(0).equals("brotli") ? "br" : command.get(0));
        try {
            Path file = Files.createTempFile("body", ".bin");
            try {
                Files.write(file, input);
                Process process = new ProcessBuilder(command).redirectInput(file.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new AssertionError(command + " could not decode " + input.length + " bytes");
                }
                return out;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
