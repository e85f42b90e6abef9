package com.soportemax.chat;

import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import java.util.Set;

/**
 * Markdown of bot and agent messages as HTML, the one rendering customers and agents both see. Raw HTML in the text
 * is escaped, link targets with a scheme other than http(s) and mailto are dropped (commonmark's own sanitizer lets
 * {@code data:} through), images become plain links: nothing a message says can add markup or scripts to a page.
 */
public final class SafeMarkdown {

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .escapeHtml(true)
            .sanitizeUrls(true)
            .softbreak("<br>")
            .attributeProviderFactory(context -> (node, tagName, attributes) -> {
                if (node instanceof Link) {
                    attributes.put("rel", "noopener noreferrer nofollow");
                    attributes.put("target", "_blank");
                }
            })
            .build();
    private static final Set<String> SAFE_SCHEMES = Set.of("http", "https", "mailto");

    private SafeMarkdown() {
    }

    public static String toHtml(String markdown) {
        if (markdown == null || markdown.isEmpty()) {
            return "";
        }
        Node document = PARSER.parse(markdown);
        replaceImagesWithLinks(document);
        return RENDERER.render(document).strip();
    }

    private static void replaceImagesWithLinks(Node node) {
        Node child = node.getFirstChild();
        while (child != null) {
            Node next = child.getNext();
            if (child instanceof Link link) {
                link.setDestination(safeLink(link.getDestination()));
                replaceImagesWithLinks(child);
            } else if (child instanceof Image image) {
                Link link = new Link(safe(image.getDestination()), image.getTitle());
                Node inner = image.getFirstChild();
                while (inner != null) {
                    Node following = inner.getNext();
                    link.appendChild(inner);
                    inner = following;
                }
                image.insertBefore(link);
                image.unlink();
            } else {
                replaceImagesWithLinks(child);
            }
            child = next;
        }
    }

    /** A relative link (no scheme before the first '/', '?' or '#') stays; an absolute one needs a safe scheme. */
    private static String safeLink(String destination) {
        if (destination == null) {
            return "";
        }
        int colon = destination.indexOf(':');
        int end = destination.length();
        for (char c : new char[]{'/', '?', '#'}) {
            int at = destination.indexOf(c);
            if (at >= 0) end = Math.min(end, at);
        }
        return colon < 0 || colon > end ? destination : safe(destination);
    }

    private static String safe(String destination) {
        int colon = destination == null ? -1 : destination.indexOf(':');
        return colon > 0 && SAFE_SCHEMES.contains(destination.substring(0, colon).toLowerCase(java.util.Locale.ROOT))
                ? destination : "";
    }
}
