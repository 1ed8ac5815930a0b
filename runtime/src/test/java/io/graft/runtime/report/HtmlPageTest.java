package io.graft.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlPageTest {

    @Test
    void scriptJsonCannotLeaveItsElementAndMeansTheSame() throws IOException {
        String text = "</script><!-- & \u2028 \u2029 >";
        String json = HtmlPage.scriptJson(Map.of("k", text));
        assertFalse(json.contains("<") || json.contains(">") || json.contains("&"), json);
        assertFalse(json.contains("\u2028") || json.contains("\u2029"), json);
        assertEquals(text, new ObjectMapper().readTree(json).path("k").asText());
    }

    @Test
    void escapesHtmlText() {
        assertEquals("&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;", HtmlPage.escapeHtml("<b a=\"1\" c='2'>&"));
    }

    @Test
    void vendoredEChartsIsThereWithItsLicence() {
        assertTrue(HtmlPage.resource("echarts.min.js").length() > 500_000);
        assertTrue(HtmlPage.resource("echarts-LICENSE").contains("Apache License"));
        assertTrue(HtmlPage.resource("echarts-NOTICE").contains("Apache ECharts"));
        assertTrue(HtmlPage.resource("README.md").contains("5.6.0"));
    }
}
