package com.soportemax.escalation.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.HandOverNotice;
import org.springframework.stereotype.Component;

import org.springframework.beans.factory.ObjectProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;

/**
 * What the customer is told at hand-over, decided from business hours and who is online: an agent is coming, with
 * the expected wait from the queue; or nobody is there now, and (with e-mail enabled) they may leave an address
 * for the answer, or else that the conversation is kept until someone is back.
 */
@Component
class AgentAvailability implements HandOverNotice {

    private final EscalationSettings settings;
    private final AgentPresence presence;
    private final EscalationTicketRepository tickets;
    private final EmailAnswers emails;
    private final Clock clock;

    AgentAvailability(EscalationSettings settings, AgentPresence presence, EscalationTicketRepository tickets,
                      EmailAnswers emails, ObjectProvider<Clock> clock) {
        this.settings = settings;
        this.presence = presence;
        this.tickets = tickets;
        this.emails = emails;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** The decision, as a value. */
    sealed interface Availability {
        record AgentComing(Duration expectedWait) implements Availability {
        }

        record NobodyNow(boolean emailOffered) implements Availability {
        }
    }

    Availability now() {
        int online = presence.online();
        if (!withinBusinessHours() || online == 0) {
            return new Availability.NobodyNow(emails.enabled());
        }
        long waiting = tickets.countByStatus(TicketStatus.OPEN);
        // Each agent takes the waiting tickets one after another, about one SLA each.
        return new Availability.AgentComing(settings.sla().multipliedBy(waiting + 1).dividedBy(online));
    }

    boolean withinBusinessHours() {
        ZonedDateTime local = ZonedDateTime.now(clock.withZone(settings.zone()));
        return settings.days().contains(local.getDayOfWeek())
                && !local.toLocalTime().isBefore(settings.opens()) && local.toLocalTime().isBefore(settings.closes());
    }

    @Override
    public Notice atHandOver(ConversationId conversation, String locale) {
        boolean spanish = !"en".equals(locale);
        return switch (now()) {
            case Availability.AgentComing coming -> {
                long minutes = Math.max(1, (coming.expectedWait().toSeconds() + 59) / 60);
                yield new Notice(spanish
                        ? "Te pasamos con una persona de nuestro equipo de soporte. Tiempo de espera estimado: unos "
                        + minutes + " min."
                        : "We are passing you to a person from our support team. Expected wait: about " + minutes
                        + " min.", false);
            }
            case Availability.NobodyNow nobody when nobody.emailOffered() -> new Notice(spanish
                    ? "Te pasamos con una persona de nuestro equipo de soporte, pero ahora mismo no hay nadie del "
                    + "equipo disponible (atendemos " + hours(true) + "). Déjanos tu correo electrónico y te "
                    + "responderemos por e-mail."
                    : "We are passing you to a person from our support team, but nobody from the team is available "
                    + "right now (we answer " + hours(false) + "). Leave your e-mail address and we will write back.",
                    true);
            case Availability.NobodyNow nobody -> new Notice(spanish
                    ? "Te pasamos con una persona de nuestro equipo de soporte, pero ahora mismo no hay nadie del "
                    + "equipo disponible (atendemos " + hours(true) + "). Guardamos la conversación: vuelve a esta "
                    + "página y verás aquí la respuesta en cuanto alguien la conteste."
                    : "We are passing you to a person from our support team, but nobody from the team is available "
                    + "right now (we answer " + hours(false) + "). We keep the conversation: come back to this page "
                    + "to read the answer as soon as someone replies.", false);
        };
    }

    /** "de lunes a viernes de 09:00 a 18:00", "Monday, Wednesday and Friday from 09:00 to 14:00". */
    private String hours(boolean spanish) {
        java.util.Locale locale = spanish ? java.util.Locale.forLanguageTag("es") : java.util.Locale.ENGLISH;
        java.util.List<java.time.DayOfWeek> days = settings.days().stream().sorted().toList();
        java.util.function.Function<java.time.DayOfWeek, String> name =
                day -> day.getDisplayName(java.time.format.TextStyle.FULL, locale);
        String when;
        if (days.size() == 7) {
            when = spanish ? "todos los días" : "every day";
        } else if (days.size() >= 3 && days.getLast().getValue() - days.getFirst().getValue() == days.size() - 1) {
            when = (spanish ? "de " : "") + name.apply(days.getFirst()) + (spanish ? " a " : " to ")
                    + name.apply(days.getLast());
        } else if (days.size() == 1) {
            when = (spanish ? "los " : "on ") + name.apply(days.getFirst()) + (spanish ? "" : "s");
        } else {
            java.util.List<String> names = days.stream().map(name).toList();
            when = String.join(", ", names.subList(0, names.size() - 1)) + (spanish ? " y " : " and ")
                    + names.getLast();
        }
        return when + (spanish ? " de " : " from ") + settings.opens() + (spanish ? " a " : " to ") + settings.closes();
    }
}
