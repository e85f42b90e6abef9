/**
 * Embedding the customer chat widget in other sites: the widget script is served from this application
 * ({@code /widget.js}, {@code /widget/**}) and calls the widget API from the embedding site's origin, which CORS
 * must allow.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Widget embedding")
package com.soportemax.widget;
