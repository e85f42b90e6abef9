package com.soportemax.shared.events;

/**
 * Something every application node must act on at once that concerns no conversation, e.g. that a staff account lost
 * its access. Publish it (Spring's {@code ApplicationEventPublisher}) inside the transaction that makes the change:
 * it travels with the live events through PostgreSQL {@code NOTIFY}, so it is delivered only once that transaction
 * commits, and then every node, this one included, raises a {@link ClusterNoticeReceived}. Notices are not stored: a
 * node that is not listening at that moment misses it, so whoever acts on one keeps a check of its own as the backstop.
 *
 * @param topic   what kind of notice, e.g. {@code "staff-access"}
 * @param subject what it is about, e.g. an e-mail address; readers load the current state themselves
 */
public record ClusterNotice(String topic, String subject) {

    public ClusterNotice {
        if (topic == null || topic.isBlank() || subject == null) {
            throw new IllegalArgumentException("A cluster notice needs a topic and a subject.");
        }
    }
}
