package dev.gateway.config.load;

import dev.gateway.config.StaticSiteConfig;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.TableReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code [static]}, the default site, and checks the directories of {@code static = "dir"} routes.
 *
 * <p>DEFAULTS:
 * <pre>
 * root           required   an existing directory (relative: from the config file's directory)
 * index          "index.html"
 * spa_fallback   false
 * cache_control  ""         no Cache-Control header
 * </pre>
 * A {@code static} route gets {@code root} from its value and these defaults for the rest.
 */
final class StaticSiteReader {

    static final String DEFAULT_INDEX = "index.html";
    static final Set<String> KEYS = Set.of("root", "index", "spa_fallback", "cache_control");

    private StaticSiteReader() {
    }

    static Optional<StaticSiteConfig> read(TableReader site) {
        if (!site.present()) {
            return Optional.empty();
        }
        Path root = site.required("root", StaticSiteReader::directory);
        String index = site.get("index", DEFAULT_INDEX, v -> {
            String name = v.string();
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..")) {
                throw new IllegalArgumentException("'" + name + "' is not a file name (expected e.g. \"index.html\")");
            }
            return name;
        });
        boolean spaFallback = site.bool("spa_fallback", false);
        String cacheControl = site.get("cache_control", "", v -> {
            String value = v.string();
            if (!HttpSyntax.isHeaderValue(value)) {
                throw new IllegalArgumentException("must not contain CR, LF or NUL");
            }
            return value;
        });
        return root == null ? Optional.empty() : Optional.of(new StaticSiteConfig(root, index, spaFallback, cacheControl));
    }

    /** A route's {@code static = "dir"}: the directory with the site defaults. */
    static StaticSiteConfig routeSite(ConfigValue value) {
        return new StaticSiteConfig(directory(value), DEFAULT_INDEX, false, "");
    }

    static Path directory(ConfigValue value) {
        Path dir = value.ctx().resolve(value.string());
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException("directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        return dir;
    }
}
