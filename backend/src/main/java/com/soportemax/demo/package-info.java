/**
 * The demo customer site ("Tienda SoporteMax") at {@code /demo} that embeds the chat widget with its one-line snippet,
 * as a company would on its own site.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Demo site")
package com.soportemax.demo;
