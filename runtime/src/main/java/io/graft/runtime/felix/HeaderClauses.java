package io.graft.runtime.felix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The clauses of an OSGi manifest header such as {@code Import-Package} or {@code Export-Package}:
 * {@code a.b;c.d;version="[1.0,2)";resolution:=optional, e.f}. Only what the host needs to read is kept:
 * the names (paths) of each clause and its attributes and directives, quotes removed.
 */
final class HeaderClauses {

    /**
     * One clause.
     *
     * @param names the paths the clause applies to (several packages may share one clause)
     * @param parameters attributes ({@code name=value}) and directives ({@code name:=value}, keyed with
     *     the colon, e.g. {@code resolution:}), unquoted
     */
    record Clause(List<String> names, Map<String, String> parameters) {

        /** @return the {@code version} attribute, or null */
        String version() {
            return parameters.get("version");
        }

        /** @return whether the clause is marked {@code resolution:=optional} or dynamic */
        boolean optional() {
            String r = parameters.get("resolution:");
            return "optional".equals(r) || "dynamic".equals(r);
        }
    }

    private HeaderClauses() {}

    /**
     * @param header a header value, or null
     * @return its clauses in order; empty for null or blank
     */
    static List<Clause> parse(String header) {
        List<Clause> out = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String clause : split(header, ',')) {
            List<String> names = new ArrayList<>();
            Map<String, String> params = new LinkedHashMap<>();
            for (String part : split(clause, ';')) {
                String p = part.strip();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    if (!p.isEmpty()) {
                        names.add(p);
                    }
                    continue;
                }
                boolean directive = eq > 0 && p.charAt(eq - 1) == ':';
                String key = p.substring(0, directive ? eq - 1 : eq).strip() + (directive ? ":" : "");
                params.put(key, unquote(p.substring(eq + 1).strip()));
            }
            if (!names.isEmpty()) {
                out.add(new Clause(List.copyOf(names), Map.copyOf(params)));
            }
        }
        return out;
    }

    /** Splits on a separator outside double quotes. */
    private static List<String> split(String s, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
