package io.graft.runtime.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the page templates kept beside this class (resources of {@code io/graft/runtime/report/}) into one
 * self-contained HTML file. A template holds three kinds of placeholders, replaced in one pass (text put in
 * is never scanned again):
 * <ul>
 *   <li>{@code {{title}}}: the page title, HTML-escaped;</li>
 *   <li>{@code {{data}}}: the page's data model as JSON, made safe inside a {@code <script>} element;</li>
 *   <li>{@code {{include:NAME}}}: a resource inlined as it is (style sheet, ECharts, the page script).</li>
 * </ul>
 * The page scripts read the data with {@code JSON.parse} and put text into the page with {@code textContent},
 * so a name or config value is never interpreted as markup.
 */
final class HtmlPage {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(title|data|include:[A-Za-z0-9._-]+)}}");
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final Map<String, String> RESOURCES = new ConcurrentHashMap<>();

    private HtmlPage() {}

    /**
     * @param template the name of a template resource, e.g. {@code run-report.html}
     * @param title the page title (plain text)
     * @param data the data model, serialised with Jackson
     * @return the page
     */
    static String render(String template, String title, Object data) {
        String page = resource(template);
        String json = scriptJson(data);
        Matcher m = PLACEHOLDER.matcher(page);
        StringBuilder out = new StringBuilder(page.length() + json.length() + 1_100_000);
        while (m.find()) {
            String key = m.group(1);
            String value = switch (key) {
                case "title" -> escapeHtml(title);
                case "data" -> json;
                default -> inlineable(key.substring("include:".length()));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * @param text plain text
     * @return the text escaped for HTML element content and attribute values
     */
    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * JSON that can stand inside {@code <script>...</script>}: {@code <}, {@code >} and {@code &} only occur
     * inside JSON strings, where their {@code \}{@code uXXXX} escapes mean the same, so no {@code </script>}
     * or {@code <!--} can end or change the element; U+2028 and U+2029 are escaped too.
     *
     * @param value any Jackson-serialisable value
     * @return its JSON text, escaped
     */
    static String scriptJson(Object value) {
        String json;
        try {
            json = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report data cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A resource that goes inside a {@code <style>} or {@code <script>} element must not be able to close it. */
    private static String inlineable(String name) {
        String text = resource(name);
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("</script") || lower.contains("</style") || lower.contains("<!--")) {
            throw new IllegalStateException("resource " + name + " cannot be inlined: it contains </script, </style or <!--");
        }
        return text;
    }

    /**
     * @param name a resource beside this class
     * @return its text (cached: ECharts is a megabyte, read once per process)
     */
    static String resource(String name) {
        return RESOURCES.computeIfAbsent(name, n -> {
            try (InputStream in = HtmlPage.class.getResourceAsStream(n)) {
                if (in == null) {
                    throw new IllegalStateException("report resource " + n + " is missing from the runtime jar");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read report resource " + n, e);
            }
        });
    }
}
