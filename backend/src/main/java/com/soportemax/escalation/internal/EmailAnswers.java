package com.soportemax.escalation.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.CustomerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Agents' answers to customers who left an e-mail address because nobody could answer live. Queued in the same
 * transaction as the reply ({@code outbound_emails}), then sent through the configured SMTP server
 * ({@code spring.mail.host}, e.g. {@code SPRING_MAIL_HOST}), retried a few times when the server fails.
 */
@Component
public class EmailAnswers {

    private static final Logger log = LoggerFactory.getLogger(EmailAnswers.class);
    private static final int MAX_ATTEMPTS = 5;
    static final String HOW_TO_ENABLE = "El envío por correo no está configurado: define SPRING_MAIL_HOST (y, si el "
            + "servidor lo pide, SPRING_MAIL_PORT, SPRING_MAIL_USERNAME y SPRING_MAIL_PASSWORD) y "
            + "SOPORTEMAX_ESCALATION_MAIL_FROM, y reinicia la aplicación.";

    private final JdbcTemplate jdbc;
    private final ObjectProvider<JavaMailSender> mail;
    private final EscalationSettings settings;
    private final Environment environment;
    private final Clock clock;

    EmailAnswers(JdbcTemplate jdbc, ObjectProvider<JavaMailSender> mail, EscalationSettings settings,
                 Environment environment, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.mail = mail;
        this.settings = settings;
        this.environment = environment;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** Whether answers can go out by e-mail (an SMTP server is configured). */
    public boolean enabled() {
        return mail.getIfAvailable() != null && environment.containsProperty("spring.mail.host");
    }

    /** What to do to enable it, for staff; empty when enabled. */
    public Optional<String> howToEnable() {
        return enabled() ? Optional.empty() : Optional.of(HOW_TO_ENABLE);
    }

    /** Queues the agent's answer for the customer's address. @return the address, when queued */
    Optional<String> queueAnswer(ConversationId conversation, CustomerContext customer, String agentName, String text,
                                 Instant now) {
        if (!enabled() || customer.contactEmail() == null) {
            return Optional.empty();
        }
        boolean spanish = "es".equals(customer.locale());
        String subject = spanish ? "Respuesta a tu consulta en Tienda SoporteMax" : "Reply to your question at SoporteMax Shop";
        String body = (spanish ? "Hola,\n\n" + agentName + " ha respondido a tu consulta:\n\n"
                : "Hello,\n\n" + agentName + " has answered your question:\n\n") + text
                + (spanish ? "\n\nPuedes seguir la conversación en el chat de nuestra web.\n"
                : "\n\nYou can continue the conversation in the chat on our site.\n");
        jdbc.update("""
                insert into outbound_emails (id, conversation_id, to_address, subject, body, status, created_at)
                values (?, ?, ?, ?, ?, 'PENDING', ?)""", UUID.randomUUID(), conversation.value(), customer.contactEmail(),
                subject, body, Timestamp.from(now));
        return Optional.of(customer.contactEmail());
    }

    @Scheduled(initialDelay = 2_000, fixedDelay = 2_000)
    void sendPending() {
        JavaMailSender sender = mail.getIfAvailable();
        if (sender == null || !enabled()) {
            return;
        }
        List<Pending> pending = jdbc.query("""
                        update outbound_emails set attempts = attempts + 1
                        where id in (select id from outbound_emails where status = 'PENDING' order by created_at
                                     limit 20 for update skip locked)
                        returning id, to_address, subject, body, attempts""",
                (rs, row) -> new Pending(rs.getObject("id", UUID.class), rs.getString("to_address"),
                        rs.getString("subject"), rs.getString("body"), rs.getInt("attempts")));
        for (Pending email : pending) {
            try {
                SimpleMailMessage message = new SimpleMailMessage();
                message.setFrom(settings.mailFrom());
                message.setTo(email.to());
                message.setSubject(email.subject());
                message.setText(email.body());
                sender.send(message);
                jdbc.update("update outbound_emails set status = 'SENT', sent_at = ?, last_error = null where id = ?",
                        Timestamp.from(clock.instant()), email.id());
            } catch (MailException e) {
                String status = email.attempts() >= MAX_ATTEMPTS ? "FAILED" : "PENDING";
                log.warn("Could not send the answer by e-mail to {} (attempt {}): {}", email.to(), email.attempts(),
                        e.getMessage());
                jdbc.update("update outbound_emails set status = ?, last_error = ? where id = ?", status,
                        e.getMessage(), email.id());
            }
        }
    }

    private record Pending(UUID id, String to, String subject, String body, int attempts) {
    }
}
