package dev.gateway.config.load;

import dev.gateway.config.HeaderRules;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.TableReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code request_headers} / {@code response_headers}:
 * {@code { set = { "X-Env" = "prod" }, remove = ["X-Debug"] }}. Both parts are optional; names must
 * be RFC 9110 tokens and values must not carry CR or LF (header injection).
 */
final class HeaderRulesReader {

    private static final Set<String> KEYS = Set.of("set", "remove");

    private HeaderRulesReader() {
    }

    static HeaderRules read(ConfigValue value) {
        TableReader rules = value.table(KEYS);
        Map<String, String> set = new LinkedHashMap<>();
        TableReader setTable = rules.table("set", null);
        for (String name : setTable.keys()) {
            if (!HttpSyntax.isToken(name)) {
                setTable.problem(name, "'" + name + "' is not a valid header name");
                continue;
            }
            String headerValue = setTable.get(name, null, HeaderRulesReader::headerValue);
            if (headerValue != null) {
                set.put(name, headerValue);
            }
        }
        List<String> remove = rules.list("remove", List.of(), HeaderRulesReader::headerName);
        return new HeaderRules(set, remove);
    }

    private static String headerName(ConfigValue value) {
        String name = value.string();
        if (!HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid header name");
        }
        return name;
    }

    private static String headerValue(ConfigValue value) {
        String text = value.string();
        if (!HttpSyntax.isHeaderValue(text)) {
            throw new IllegalArgumentException("header value must not contain CR, LF or NUL");
        }
        return text;
    }
}
