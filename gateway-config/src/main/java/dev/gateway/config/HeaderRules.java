package dev.gateway.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code request_headers} / {@code response_headers}: headers to set (replace) and to remove.
 *
 * @param set each header's value as text ({@code ${client_ip}} for a variable)
 * @param templates the same values parsed; literal values are one literal part
 */
public record HeaderRules(Map<String, String> set, List<String> remove, Map<String, HeaderTemplate> templates) {

    public static final HeaderRules NONE = new HeaderRules(Map.of(), List.of());

    public HeaderRules {
        set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
        remove = List.copyOf(remove);
        templates = Collections.unmodifiableMap(new LinkedHashMap<>(templates));
    }

    /** Rules whose values are all literal. */
    public HeaderRules(Map<String, String> set, List<String> remove) {
        this(set, remove, literals(set));
    }

    /** Rules from parsed templates. */
    public static HeaderRules of(Map<String, HeaderTemplate> templates, List<String> remove) {
        Map<String, String> text = new LinkedHashMap<>();
        templates.forEach((name, template) -> text.put(name, template.text()));
        return new HeaderRules(text, remove, templates);
    }

    private static Map<String, HeaderTemplate> literals(Map<String, String> set) {
        Map<String, HeaderTemplate> templates = new LinkedHashMap<>();
        set.forEach((name, value) -> templates.put(name, HeaderTemplate.literal(value)));
        return templates;
    }

    public boolean isEmpty() {
        return set.isEmpty() && remove.isEmpty();
    }

    /** True when some value has a variable to fill in per request. */
    public boolean hasVariables() {
        for (HeaderTemplate template : templates.values()) {
            if (!template.isLiteral()) {
                return true;
            }
        }
        return false;
    }
}
