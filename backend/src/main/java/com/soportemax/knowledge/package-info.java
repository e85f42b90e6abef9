/** Articles, their import, and retrieval of passages. */
@org.springframework.modulith.ApplicationModule(displayName = "Knowledge")
package com.soportemax.knowledge;
