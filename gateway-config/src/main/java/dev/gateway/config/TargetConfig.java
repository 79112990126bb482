package dev.gateway.config;

/**
 * One backend of a pool, from {@code "http://host:port"} or {@code { url = "...", weight = 3 }}.
 *
 * @param url the URL as written (normalized: no trailing slash)
 * @param secure true for https
 * @param port explicit port, or 80 / 443 by scheme
 */
public record TargetConfig(String url, boolean secure, String host, int port, int weight) {

    /** host:port as a Host header value would carry it (default ports omitted). */
    public String authority() {
        boolean defaultPort = secure ? port == 443 : port == 80;
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return defaultPort ? h : h + ":" + port;
    }
}
