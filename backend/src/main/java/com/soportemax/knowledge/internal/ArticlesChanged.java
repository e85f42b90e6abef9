package com.soportemax.knowledge.internal;

/** Articles were written, imported or removed in the current transaction (their passages changed). */
record ArticlesChanged() {
}
