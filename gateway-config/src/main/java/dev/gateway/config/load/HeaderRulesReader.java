package dev.gateway.config.load;

import dev.gateway.config.HeaderRules;
import dev.gateway.config.HeaderTemplate;
import dev.gateway.config.HeaderTemplate.Variable;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.TableReader;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code request_headers} / {@code response_headers}:
 * {@code { set = { "X-Env" = "prod", "X-Client" = "${client_ip}" }, remove = ["X-Debug"] }}. Both
 * parts are optional; names must be RFC 9110 tokens and values must not carry CR or LF (header
 * injection). Values may use request variables, parsed here once (see {@code HeaderTemplates}).
 */
final class HeaderRulesReader {

    private static final Set<String> KEYS = Set.of("set", "remove");
    private static final Set<Variable> REQUEST_SIDE = EnumSet.complementOf(EnumSet.of(Variable.TARGET));
    private static final Set<Variable> RESPONSE_SIDE = EnumSet.allOf(Variable.class);

    private HeaderRulesReader() {
    }

    static HeaderRules request(ConfigValue value) {
        return read(value, REQUEST_SIDE);
    }

    static HeaderRules response(ConfigValue value) {
        return read(value, RESPONSE_SIDE);
    }

    private static HeaderRules read(ConfigValue value, Set<Variable> variables) {
        TableReader rules = value.table(KEYS);
        Map<String, HeaderTemplate> set = new LinkedHashMap<>();
        TableReader setTable = rules.table("set", null);
        for (String name : setTable.keys()) {
            if (!HttpSyntax.isToken(name)) {
                setTable.problem(name, "'" + name + "' is not a valid header name");
                continue;
            }
            HeaderTemplate template = setTable.get(name, null, v -> headerValue(v, variables));
            if (template != null) {
                set.put(name, template);
            }
        }
        List<String> remove = rules.list("remove", List.of(), HeaderRulesReader::headerName);
        return HeaderRules.of(set, remove);
    }

    static String headerName(ConfigValue value) {
        String name = value.string();
        if (!HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid header name");
        }
        return name;
    }

    private static HeaderTemplate headerValue(ConfigValue value, Set<Variable> variables) {
        HeaderTemplate template = value.headerTemplate(variables);
        for (HeaderTemplate.Part part : template.parts()) {
            if (part instanceof HeaderTemplate.Literal && !HttpSyntax.isHeaderValue(((HeaderTemplate.Literal) part).text())) {
                throw new IllegalArgumentException("header value must not contain CR, LF or NUL");
            }
        }
        return template;
    }
}
