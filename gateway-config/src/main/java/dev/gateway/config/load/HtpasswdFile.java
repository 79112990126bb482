package dev.gateway.config.load;

import dev.gateway.config.toml.ConfigValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an htpasswd file of bcrypt hashes ({@code htpasswd -B}): one {@code user:hash} per line,
 * blank lines and {@code #} comments skipped. Only bcrypt is accepted: the {@code {SHA}}, MD5
 * ({@code $apr1$}) and crypt hashes htpasswd can also write are fast to guess. Every bad line is
 * a problem of its own at the {@code users} key, with its line number.
 */
final class HtpasswdFile {

    /** bcrypt costs accepted: each new login pays 2^cost rounds, off the event loops. */
    static final int MIN_COST = 4;
    static final int MAX_COST = 14;
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    private HtpasswdFile() {
    }

    /** The hashes by user name; null when the file cannot be used (problems are recorded). */
    static Map<String, String> read(ConfigValue value, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String problem = problem(line, seen);
            if (problem != null) {
                value.ctx().problem(value.path(), "line " + (i + 1) + " of " + file + ": " + problem);
                ok = false;
                continue;
            }
            int colon = line.indexOf(':');
            hashes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        if (ok && hashes.isEmpty()) {
            throw new IllegalArgumentException(file + " has no users (add one with: htpasswd -B " + file + " NAME)");
        }
        return ok ? hashes : null;
    }

    private static String problem(String line, Set<String> seen) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return "expected 'user:hash'";
        }
        String user = line.substring(0, colon);
        String hash = line.substring(colon + 1);
        if (!seen.add(user)) {
            return "user '" + user + "' appears twice";
        }
        Matcher bcrypt = BCRYPT.matcher(hash);
        if (!bcrypt.matches()) {
            return "user '" + user + "' has " + kind(hash) + "; only bcrypt hashes are accepted (create them with "
                    + "htpasswd -B)";
        }
        int cost = Integer.parseInt(bcrypt.group(1));
        if (cost < MIN_COST || cost > MAX_COST) {
            return "user '" + user + "' has bcrypt cost " + cost + " (expected: " + MIN_COST + "-" + MAX_COST
                    + "; every new login pays it, and cost " + (MAX_COST + 1) + " takes about two seconds)";
        }
        return null;
    }

    private static String kind(String hash) {
        if (hash.startsWith("{SHA}")) {
            return "a SHA-1 hash";
        }
        if (hash.startsWith("$apr1$") || hash.startsWith("$1$")) {
            return "an MD5 hash";
        }
        if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
            return "a SHA-crypt hash";
        }
        if (hash.startsWith("$2")) {
            return "a malformed bcrypt hash";
        }
        return "a hash of an unsupported kind (or a plain-text password)";
    }
}
