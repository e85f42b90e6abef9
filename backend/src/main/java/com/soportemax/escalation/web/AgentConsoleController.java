package com.soportemax.escalation.web;

import com.soportemax.chat.Author;
import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import com.soportemax.chat.EscalationReason;
import com.soportemax.escalation.internal.EscalationQueue;
import com.soportemax.escalation.internal.EscalationTicket;
import com.soportemax.escalation.internal.TicketStatus;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * The agents' console (role AGENT or ADMIN): the live queue of escalated conversations, claiming one, answering the
 * customer and closing. Plain forms with POST-redirect-GET; htmx only refreshes the queue and the transcript.
 */
@Controller
@RequestMapping("/agent")
class AgentConsoleController {

    static final String QUEUE_VIEW = "escalation/queue";
    static final String QUEUE_FRAGMENT = "escalation/queue :: tickets";
    static final String CONVERSATION_VIEW = "escalation/conversation";
    static final String TRANSCRIPT_FRAGMENT = "escalation/conversation :: transcript";

    /** Same limit as the agents' JSON API. */
    private static final int MAX_REPLY_LENGTH = 4000;

    private final EscalationQueue queue;

    AgentConsoleController(EscalationQueue queue) {
        this.queue = queue;
    }

    @GetMapping
    String queue(Model model) {
        model.addAttribute("tickets", rows());
        return QUEUE_VIEW;
    }

    /** The queue's table alone, polled by the page. */
    @GetMapping("/queue")
    String queueFragment(Model model) {
        model.addAttribute("tickets", rows());
        return QUEUE_FRAGMENT;
    }

    @PostMapping("/tickets/{id}/claim")
    String claim(@PathVariable UUID id, Authentication agent, RedirectAttributes redirect) {
        try {
            EscalationTicket ticket = queue.claim(id, agent.getName());
            return "redirect:/agent/conversations/" + ticket.conversationId();
        } catch (IllegalStateException | ObjectOptimisticLockingFailureException lost) {
            EscalationTicket ticket = queue.ticket(id).orElseThrow();
            if (ticket.status() == TicketStatus.CLAIMED && agent.getName().equalsIgnoreCase(ticket.claimedBy())) {
                return "redirect:/agent/conversations/" + ticket.conversationId();
            }
            redirect.addFlashAttribute("problem", switch (ticket.status()) {
                case CLAIMED -> "Otro agente (" + ticket.claimedBy() + ") ya ha tomado esta conversación.";
                case RESOLVED -> "Esta conversación ya ha terminado; no hay nada que tomar.";
                case OPEN -> "No se ha podido tomar la conversación: " + lost.getMessage();
            });
            return "redirect:/agent";
        }
    }

    @GetMapping("/conversations/{id}")
    String conversation(@PathVariable UUID id, Authentication agent, Model model) {
        ConversationId conversation = new ConversationId(id);
        List<ChatMessage> transcript = queue.transcript(conversation);
        EscalationTicket ticket = queue.latestTicketOf(conversation).orElse(null);
        boolean agentAnswered = transcript.stream().anyMatch(message -> message.author() == Author.AGENT);
        if (!model.containsAttribute("reply")) {
            model.addAttribute("reply", ticket == null || agentAnswered ? "" : ticket.botDraft());
        }
        addTranscript(model, conversation, transcript, queue.state(conversation));
        model.addAttribute("ticket", ticket);
        model.addAttribute("reason", ticket == null ? "" : reasonLabel(ticket.reason()));
        model.addAttribute("mayAnswer", queue.mayAnswer(conversation, agent.getName()));
        return CONVERSATION_VIEW;
    }

    /**
     * The transcript alone, polled by the conversation page so customer messages appear while the agent types.
     * Answers 204 (htmx then leaves the page alone) when nothing changed since the page's last message and state.
     */
    @GetMapping("/conversations/{id}/messages")
    String transcript(@PathVariable UUID id, @RequestParam(required = false) Long after,
                      @RequestParam(required = false) ConversationState state, Model model,
                      HttpServletResponse response) {
        ConversationId conversation = new ConversationId(id);
        List<ChatMessage> transcript = queue.transcript(conversation);
        ConversationState current = queue.state(conversation);
        boolean unchanged = after != null && current == state
                && transcript.stream().allMatch(message -> message.seq() <= after && message.complete());
        if (unchanged) {
            response.setStatus(HttpStatus.NO_CONTENT.value());
            return null;
        }
        addTranscript(model, conversation, transcript, current);
        return TRANSCRIPT_FRAGMENT;
    }

    @PostMapping("/conversations/{id}/messages")
    String reply(@PathVariable UUID id, @RequestParam(defaultValue = "") String text, Authentication agent,
                 RedirectAttributes redirect) {
        String page = "redirect:/agent/conversations/" + id;
        if (text.isBlank()) {
            redirect.addFlashAttribute("problem", "Escribe una respuesta antes de enviarla.");
            return page;
        }
        if (text.length() > MAX_REPLY_LENGTH) {
            redirect.addFlashAttribute("problem", "La respuesta es demasiado larga (máximo " + MAX_REPLY_LENGTH
                    + " caracteres); divídela en varios mensajes.");
            redirect.addFlashAttribute("reply", text);
            return page;
        }
        try {
            queue.reply(new ConversationId(id), agent.getName(), text.strip());
            redirect.addFlashAttribute("reply", "");
        } catch (IllegalStateException refused) {
            redirect.addFlashAttribute("problem", "No se ha enviado la respuesta: " + refused.getMessage());
            redirect.addFlashAttribute("reply", text);
        }
        return page;
    }

    @PostMapping("/conversations/{id}/close")
    String close(@PathVariable UUID id, Authentication agent, RedirectAttributes redirect) {
        try {
            queue.close(new ConversationId(id), agent.getName());
            redirect.addFlashAttribute("notice", "Conversación cerrada. Se ha invitado al cliente a valorarla.");
            return "redirect:/agent";
        } catch (IllegalStateException refused) {
            redirect.addFlashAttribute("problem", "No se ha cerrado la conversación: " + refused.getMessage());
            return "redirect:/agent/conversations/" + id;
        }
    }

    @ExceptionHandler(NoSuchElementException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound(NoSuchElementException e, Model model) {
        model.addAttribute("tickets", rows());
        model.addAttribute("problem", "No existe esa conversación o ese ticket; vuelve a la cola.");
        return QUEUE_VIEW;
    }

    /** The reason as an agent reads it in the console. */
    static String reasonLabel(EscalationReason reason) {
        return switch (reason) {
            case CUSTOMER_REQUEST -> "Pide hablar con una persona";
            case LOW_CONFIDENCE -> "Respuesta poco segura";
            case NO_KNOWLEDGE -> "Sin información en la base";
            case SENSITIVE_TOPIC -> "Tema delicado";
            case ACCOUNT_ACTION -> "Acción sobre la cuenta";
            case ENGINE_FAILURE -> "Fallo del asistente";
        };
    }

    private static void addTranscript(Model model, ConversationId conversation, List<ChatMessage> transcript,
                                      ConversationState state) {
        model.addAttribute("conversationId", conversation.toString());
        model.addAttribute("messages", transcript);
        model.addAttribute("lastSeq", transcript.isEmpty() ? 0 : transcript.getLast().seq());
        model.addAttribute("state", state);
    }

    private List<QueueRow> rows() {
        Instant now = Instant.now();
        return queue.waiting().stream()
                .map(ticket -> QueueRow.of(ticket, queue.transcript(ticket.conversationId()), now))
                .toList();
    }

    /** One line of the queue as an agent reads it. */
    record QueueRow(UUID ticketId, String conversationId, String reason, String detail, String waiting,
                    String lastCustomerMessage, String botDraft, boolean claimed, String claimedBy) {

        static QueueRow of(EscalationTicket ticket, List<ChatMessage> transcript, Instant now) {
            String lastCustomerMessage = transcript.reversed().stream()
                    .filter(message -> message.author() == Author.CUSTOMER)
                    .map(ChatMessage::text)
                    .findFirst().orElse("");
            return new QueueRow(ticket.id(), ticket.conversationId().toString(), reasonLabel(ticket.reason()),
                    ticket.detail(),
                    waiting(Duration.between(ticket.createdAt(), now)), lastCustomerMessage, ticket.botDraft(),
                    ticket.status() == TicketStatus.CLAIMED, ticket.claimedBy());
        }

        static String waiting(Duration waited) {
            long minutes = Math.max(0, waited.toMinutes());
            if (minutes < 1) {
                return "menos de 1 min";
            }
            if (minutes < 60) {
                return minutes + " min";
            }
            return "%d h %02d min".formatted(minutes / 60, minutes % 60);
        }
    }
}
