package com.soportemax.shared.events;

/** A committed {@link ClusterNotice}, as each application node receives it (a local Spring event). */
public record ClusterNoticeReceived(String topic, String subject) {
}
