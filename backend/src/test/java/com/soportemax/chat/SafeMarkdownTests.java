package com.soportemax.chat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What bot and agent Markdown may become on the widget and the agents' pages. */
class SafeMarkdownTests {

    @Test
    void linksKeepOnlyWebAndMailSchemes() {
        assertThat(SafeMarkdown.toHtml("[pedido](https://tienda.example/pedidos/4411)"))
                .contains("href=\"https://tienda.example/pedidos/4411\"");
        assertThat(SafeMarkdown.toHtml("[escríbenos](mailto:ayuda@tienda.example)")).contains("href=\"mailto:ayuda@tienda.example\"");
        assertThat(SafeMarkdown.toHtml("[ayuda](/ayuda/envios#plazos)")).contains("href=\"/ayuda/envios#plazos\"");
        for (String hostile : new String[]{"javascript:alert(1)", "JaVaScRiPt:alert(1)",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)", "file:///etc/passwd"}) {
            String html = SafeMarkdown.toHtml("[ver mi pedido](" + hostile + ")");
            assertThat(html).as(hostile).contains("ver mi pedido").doesNotContain(hostile.substring(0, 5))
                    .doesNotContainIgnoringCase("javascript:").doesNotContain("data:");
        }
    }

    @Test
    void rawHtmlAndImagesStayText() {
        String html = SafeMarkdown.toHtml("**<img src=x onerror=alert(1)>** ![foto](data:image/png;base64,AAAA)");
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img").doesNotContain("data:");
    }
}
