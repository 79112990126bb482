package dev.gateway.config;

import java.nio.file.Path;

/**
 * A directory served as a web site: the {@code [static]} default site, or a {@code static = "dir"} route.
 *
 * @param root existing directory, absolute (resolved against the config file's directory)
 * @param index file served for a directory request
 * @param spaFallback unknown paths without a file extension get the root index file
 * @param cacheControl value of the Cache-Control response header; empty means none
 */
public record StaticSiteConfig(Path root, String index, boolean spaFallback, String cacheControl) {
}
