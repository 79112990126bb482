package dev.gateway.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a test's external tool (openssl, pebble) is installed, for its JUnit assumption. */
public final class ExternalCommands {

    private ExternalCommands() {
    }

    public static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
