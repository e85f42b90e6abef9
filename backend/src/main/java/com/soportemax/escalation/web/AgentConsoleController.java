package com.soportemax.escalation.web;

import com.soportemax.accounts.StaffDirectory;
import com.soportemax.accounts.StaffMember;
import com.soportemax.chat.Author;
import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import com.soportemax.chat.CustomerContext;
import com.soportemax.chat.SafeMarkdown;
import com.soportemax.escalation.internal.AgentPresence;
import com.soportemax.escalation.internal.ArticleShelf;
import com.soportemax.escalation.internal.DeskAction;
import com.soportemax.escalation.internal.DraftEvidence;
import com.soportemax.escalation.internal.QueuePage;
import com.soportemax.escalation.internal.TranscriptReads;
import org.springframework.context.MessageSource;
import com.soportemax.escalation.internal.CannedReplies;
import com.soportemax.escalation.internal.DeskEntry;
import com.soportemax.escalation.internal.EmailAnswers;
import com.soportemax.escalation.internal.EscalationQueue;
import com.soportemax.escalation.internal.EscalationReasons;
import com.soportemax.escalation.internal.EscalationSettings;
import com.soportemax.escalation.internal.EscalationTicket;
import com.soportemax.escalation.internal.QueueFilter;
import com.soportemax.escalation.internal.TicketStatus;
import com.soportemax.escalation.internal.TranscriptEntry;
import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Passage;
import org.springframework.context.i18n.LocaleContextHolder;
import com.soportemax.escalation.internal.AgentStreams;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import java.util.Set;
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

import org.springframework.beans.factory.ObjectProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The agents' console (role AGENT or ADMIN): the queue, and a conversation with its transcript, notes and actions.
 * Plain forms with POST-redirect-GET; the pages follow {@code /api/agent/events} (agent.js) and fetch the fragment
 * that changed, never polling.
 */
@Controller
@RequestMapping("/agent")
class AgentConsoleController {

    static final String QUEUE_VIEW = "escalation/queue";
    static final String QUEUE_FRAGMENT = "escalation/queue :: tickets";
    static final String CONVERSATION_VIEW = "escalation/conversation";
    static final String TRANSCRIPT_FRAGMENT = "escalation/conversation :: transcript";
    static final String KNOWLEDGE_FRAGMENT = "escalation/conversation :: passages";
    static final String ARTICLE_VIEW = "escalation/article";

    /** Same limit as the agents' JSON API. */
    private static final int MAX_REPLY_LENGTH = 4000;

    private final EscalationQueue queue;
    private final StaffDirectory staff;
    private final CannedReplies cannedReplies;
    private final AgentPresence presence;
    private final EmailAnswers emails;
    private final KnowledgeBase knowledge;
    private final EscalationSettings settings;
    private final Clock clock;
    private final AgentStreams streams;
    private final DraftEvidence evidence;
    private final ArticleShelf articles;
    private final MessageSource messages;

    AgentConsoleController(EscalationQueue queue, StaffDirectory staff, CannedReplies cannedReplies,
                           AgentPresence presence, EmailAnswers emails, KnowledgeBase knowledge,
                           EscalationSettings settings, ObjectProvider<Clock> clock, AgentStreams streams,
                           DraftEvidence evidence, ArticleShelf articles, MessageSource messages) {
        this.streams = streams;
        this.evidence = evidence;
        this.articles = articles;
        this.messages = messages;
        this.queue = queue;
        this.staff = staff;
        this.cannedReplies = cannedReplies;
        this.presence = presence;
        this.emails = emails;
        this.knowledge = knowledge;
        this.settings = settings;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @GetMapping
    String queue(@RequestParam(defaultValue = "all") String filter, @RequestParam(required = false) String after,
                 Authentication agent, Model model) {
        addQueue(model, filter, after, agent);
        model.addAttribute("presence", presence.statusOf(agent.getName()).name());
        return QUEUE_VIEW;
    }

    /** The queue's table alone, fetched by the page when the agents' event stream reports a change. */
    @GetMapping("/queue")
    String queueFragment(@RequestParam(defaultValue = "all") String filter,
                         @RequestParam(required = false) String after, Authentication agent, Model model) {
        addQueue(model, filter, after, agent);
        return QUEUE_FRAGMENT;
    }

    /**
     * The agents' event stream for the console pages (same events as {@code /api/agent/events}), under the pages'
     * sign-in: once the session has expired it answers with the sign-in page and the console reloads to sign in.
     */
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    SseEmitter events(@RequestParam(name = "conversation", required = false) List<UUID> conversations,
                      @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId,
                      Authentication agent) {
        Set<ConversationId> watching = conversations == null ? Set.of()
                : conversations.stream().map(ConversationId::new).collect(Collectors.toSet());
        watching.forEach(conversation -> requireReadable(conversation, agent));
        return streams.subscribe(agent.getName(), watching, lastEventId);
    }

    @PostMapping("/presence")
    String presence(@RequestParam AgentPresence.Status status, Authentication agent,
                    @RequestParam(defaultValue = "/agent") String back) {
        presence.choose(agent.getName(), status);
        return "redirect:" + (back.startsWith("/agent") ? back : "/agent");
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
                case CLAIMED -> text("problem.claimedByOther", nameOf(ticket.claimedBy()));
                case RESOLVED -> text("problem.ended");
                case OPEN -> text("problem.claimFailed");
            });
            return "redirect:/agent";
        }
    }

    @GetMapping("/conversations/{id}")
    String conversation(@PathVariable UUID id, Authentication agent, Model model) {
        ConversationId conversation = new ConversationId(id);
        addTranscript(model, conversation, agent, TranscriptReads.Via.PAGE);
        EscalationTicket ticket = queue.latestTicketOf(conversation).orElse(null);
        CustomerContext customer = queue.customer(conversation);
        boolean spanish = spanish();
        if (!model.containsAttribute("reply")) {
            boolean answered = ticket != null && queue.agentAnswered(conversation, ticket.createdAt());
            model.addAttribute("reply", ticket == null || answered ? "" : ticket.botDraft());
        }
        model.addAttribute("ticket", ticket);
        model.addAttribute("reason", ticket == null ? "" : EscalationReasons.label(ticket.reason(), spanish));
        model.addAttribute("reasonExplained", ticket == null ? ""
                : EscalationReasons.explain(ticket.reason(), ticket.detail(), spanish));
        model.addAttribute("botDraftHtml", ticket == null ? "" : SafeMarkdown.toHtml(ticket.botDraft()));
        DraftEvidence.Evidence behindDraft = ticket == null ? null : evidence.of(ticket).orElse(null);
        model.addAttribute("draftConfidence", behindDraft != null ? Double.valueOf(behindDraft.confidence())
                : ticket == null ? null : draftConfidence(ticket));
        model.addAttribute("draftSources", behindDraft == null ? List.of() : behindDraft.sources());
        model.addAttribute("claimedByName", ticket == null || ticket.claimedBy() == null ? null : nameOf(ticket.claimedBy()));
        model.addAttribute("customer", customer);
        model.addAttribute("earlier", customer.earlier().stream()
                .filter(earlier -> queue.mayRead(earlier.id(), agent.getName())).toList());
        model.addAttribute("mayAnswer", queue.mayAnswer(conversation, agent.getName()));
        model.addAttribute("cannedReplies", cannedReplies.inLanguage(customer.locale()));
        // Who is online first, as a transfer to someone away leaves the customer waiting.
        model.addAttribute("colleagues", staff.enabled().stream()
                .filter(member -> !member.email().equalsIgnoreCase(agent.getName()))
                .map(member -> new Colleague(member.email(), member.displayName(),
                        presence.statusOf(member.email()) == AgentPresence.Status.ONLINE))
                .sorted(java.util.Comparator.comparing(Colleague::online).reversed()).toList());
        model.addAttribute("emailHowTo", emails.howToEnable().orElse(null));
        return CONVERSATION_VIEW;
    }

    /** The transcript alone, fetched when the stream reports a message, a note or a change of hands. */
    @GetMapping("/conversations/{id}/transcript")
    String transcript(@PathVariable UUID id, Authentication agent, Model model) {
        addTranscript(model, new ConversationId(id), agent, TranscriptReads.Via.FRAGMENT);
        return TRANSCRIPT_FRAGMENT;
    }

    /** Knowledge-base passages for the agent to paste into a reply. */
    @GetMapping("/conversations/{id}/knowledge")
    String searchKnowledge(@PathVariable UUID id, @RequestParam(defaultValue = "") String q, Authentication agent,
                           Model model) {
        requireReadable(new ConversationId(id), agent);
        CustomerContext customer = queue.customer(new ConversationId(id));
        List<Passage> passages = q.isBlank() ? List.of() : knowledge.search(q.strip(), customer.locale(), 5);
        model.addAttribute("passages", passages);
        model.addAttribute("query", q);
        return KNOWLEDGE_FRAGMENT;
    }

    @PostMapping("/conversations/{id}/messages")
    String reply(@PathVariable UUID id, @RequestParam(defaultValue = "") String text, Authentication agent,
                 RedirectAttributes redirect) {
        requireReadable(new ConversationId(id), agent);
        String page = "redirect:/agent/conversations/" + id;
        if (text.isBlank()) {
            redirect.addFlashAttribute("problem", text("problem.emptyReply"));
            return page;
        }
        if (text.length() > MAX_REPLY_LENGTH) {
            redirect.addFlashAttribute("problem", text("problem.longReply", MAX_REPLY_LENGTH));
            redirect.addFlashAttribute("reply", text);
            return page;
        }
        try {
            queue.reply(new ConversationId(id), agent.getName(), text.strip());
            redirect.addFlashAttribute("reply", "");
            redirect.addFlashAttribute("sent", true);
        } catch (IllegalStateException refused) {
            redirect.addFlashAttribute("problem", text("problem.notSent"));
            redirect.addFlashAttribute("reply", text);
        }
        return page;
    }

    @PostMapping("/conversations/{id}/notes")
    String note(@PathVariable UUID id, @RequestParam(defaultValue = "") String text, Authentication agent,
                RedirectAttributes redirect) {
        requireReadable(new ConversationId(id), agent);
        if (text.isBlank() || text.length() > MAX_REPLY_LENGTH) {
            redirect.addFlashAttribute("problem", text("problem.note", MAX_REPLY_LENGTH));
        } else {
            queue.note(new ConversationId(id), agent.getName(), text.strip());
        }
        return "redirect:/agent/conversations/" + id;
    }

    /** An article a source names (by id, external id or, for one without, title), for agents to read. */
    @GetMapping("/articles/{key}")
    String article(@PathVariable String key, @RequestParam(required = false) String title, Model model) {
        ArticleShelf.Article article = articles.find(key, title)
                .orElseThrow(() -> new NoSuchElementException("No article " + key));
        model.addAttribute("article", article);
        model.addAttribute("bodyHtml", SafeMarkdown.toHtml(article.body()));
        return ARTICLE_VIEW;
    }

    @PostMapping("/conversations/{id}/transfer")
    String transfer(@PathVariable UUID id, @RequestParam(defaultValue = "") String agentEmail, Authentication agent,
                    RedirectAttributes redirect) {
        return act(id, redirect, () -> queue.transfer(new ConversationId(id), agent.getName(), agentEmail),
                text("done.transfer"));
    }

    @PostMapping("/conversations/{id}/{action:handback|release|resolve|close}")
    String act(@PathVariable UUID id, @PathVariable String action, Authentication agent, RedirectAttributes redirect) {
        DeskAction chosen = DeskAction.named(action);
        return act(id, redirect, () -> queue.act(new ConversationId(id), agent.getName(), chosen),
                text("done." + chosen.name().toLowerCase(Locale.ROOT)));
    }

    private String act(UUID id, RedirectAttributes redirect, Runnable action, String done) {
        try {
            action.run();
            redirect.addFlashAttribute("notice", done);
            return "redirect:/agent";
        } catch (IllegalStateException refused) {
            redirect.addFlashAttribute("problem", text("problem.notInCharge"));
            return "redirect:/agent/conversations/" + id;
        } catch (IllegalArgumentException refused) {
            redirect.addFlashAttribute("problem", text("problem.transferTarget"));
            return "redirect:/agent/conversations/" + id;
        }
    }

    @ExceptionHandler(NoSuchElementException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound(NoSuchElementException e, Authentication agent, Model model) {
        addQueue(model, "all", null, agent);
        model.addAttribute("presence", presence.statusOf(agent.getName()).name());
        model.addAttribute("problem", text("problem.notFound"));
        return QUEUE_VIEW;
    }

    /** A conversation the agent may not read is answered as one that does not exist. */
    private void requireReadable(ConversationId conversation, Authentication agent) {
        if (!queue.mayRead(conversation, agent.getName())) {
            throw new NoSuchElementException("No conversation " + conversation);
        }
    }

    private void addTranscript(Model model, ConversationId conversation, Authentication reader,
                               TranscriptReads.Via via) {
        Map<String, String> names = names();
        List<TranscriptRow> rows = queue.agentTranscript(conversation, reader.getName(), via).stream()
                .map(entry -> TranscriptRow.of(entry, names)).toList();
        model.addAttribute("conversationId", conversation.toString());
        model.addAttribute("entries", rows);
        model.addAttribute("state", queue.state(conversation));
    }

    private void addQueue(Model model, String filter, String after, Authentication agent) {
        QueueFilter chosen;
        try {
            chosen = QueueFilter.valueOf(filter.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            chosen = QueueFilter.ALL;
        }
        Instant now = clock.instant();
        Map<String, String> names = names();
        boolean spanish = spanish();
        model.addAttribute("filter", chosen.name().toLowerCase(Locale.ROOT));
        model.addAttribute("slaSeconds", settings.sla().toSeconds());
        QueuePage page;
        try {
            page = queue.waiting(chosen, agent.getName(), after, settings.queuePageSize());
        } catch (IllegalArgumentException staleCursor) {
            page = queue.waiting(chosen, agent.getName(), null, settings.queuePageSize());
            after = null;
        }
        model.addAttribute("after", after);
        model.addAttribute("next", page.next());
        model.addAttribute("tickets", page.tickets().stream()
                .map(ticket -> {
                    boolean readable = queue.mayRead(ticket.conversationId(), agent.getName());
                    return QueueRow.of(ticket, readable ? queue.lastCustomerMessage(ticket.conversationId()) : "",
                            readable, queue.customer(ticket.conversationId()), now, settings.sla(), names,
                            agent.getName(), spanish);
                })
                .toList());
    }

    private Map<String, String> names() {
        return staff.enabled().stream().collect(Collectors.toMap(member -> member.email().toLowerCase(Locale.ROOT),
                StaffMember::displayName, (a, b) -> a));
    }

    private String nameOf(String email) {
        return email == null ? null : names().getOrDefault(email.toLowerCase(Locale.ROOT), email);
    }

    private String text(String code, Object... arguments) {
        return messages.getMessage(code, arguments, LocaleContextHolder.getLocale());
    }

    private static boolean spanish() {
        return !"en".equals(LocaleContextHolder.getLocale().getLanguage());
    }

    /** The bot's confidence in its draft, from the assistant's detail ("confidence 0.46 < 0.60"), if given. */
    private static Double draftConfidence(EscalationTicket ticket) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("confidence (\\d+(?:\\.\\d+)?)")
                .matcher(ticket.detail());
        return matcher.find() && !ticket.botDraft().isBlank() ? Double.valueOf(matcher.group(1)) : null;
    }

    /** One line of the transcript as the console shows it. */
    record TranscriptRow(String kind, String author, String html, String text, Instant createdAt, boolean note,
                         Double confidence, List<com.soportemax.chat.SourceRef> sources) {

        static TranscriptRow of(TranscriptEntry entry, Map<String, String> names) {
            return switch (entry) {
                case TranscriptEntry.Message m -> {
                    ChatMessage message = m.message();
                    boolean formatted = message.author() == Author.BOT || message.author() == Author.AGENT;
                    yield new TranscriptRow(message.author().name().toLowerCase(Locale.ROOT), switch (message.author()) {
                        case CUSTOMER -> spanish() ? "Cliente" : "Customer";
                        case BOT -> spanish() ? "Asistente" : "Assistant";
                        case AGENT -> message.authorName() != null ? message.authorName() : spanish() ? "Agente" : "Agent";
                        case SYSTEM -> spanish() ? "Aviso al cliente" : "Notice to the customer";
                    }, formatted ? SafeMarkdown.toHtml(message.text()) : null, message.text(), message.createdAt(),
                            false, message.confidence(), message.sources());
                }
                case TranscriptEntry.Desk d -> {
                    DeskEntry desk = d.entry();
                    boolean note = desk.kind() == DeskEntry.Kind.NOTE;
                    String author = desk.authorName() != null ? desk.authorName()
                            : names.getOrDefault(String.valueOf(desk.authorEmail()).toLowerCase(Locale.ROOT), "");
                    yield new TranscriptRow(note ? "note" : "event",
                            note ? (spanish() ? "Nota interna · " : "Internal note · ") + author : author,
                            null, note || spanish() ? desk.text() : inEnglish(desk, author), desk.createdAt(), note, null,
                            List.of());
                }
            };
        }
    }

    private static final java.util.regex.Pattern TO_WHOM = java.util.regex.Pattern.compile("^.* a (.+?)\\.$");

    /** An agent's action as an English reader reads it (the desk log stores the Spanish sentence). */
    private static String inEnglish(DeskEntry desk, String author) {
        java.util.regex.Matcher to = TO_WHOM.matcher(desk.text());
        String whom = to.find() ? to.group(1) : "";
        return switch (desk.kind()) {
            case NOTE -> desk.text();
            case CLAIMED -> author + " took the conversation.";
            case RELEASED -> author + " put the conversation back in the queue.";
            case TRANSFERRED -> author + " transferred the conversation to " + whom + ".";
            case HANDED_BACK -> author + " handed the conversation back to the assistant.";
            case RESOLVED -> author + " resolved the conversation.";
            case EMAILED -> "The answer was also sent by e-mail to " + whom + ".";
        };
    }

    /** Someone to transfer a conversation to, and whether they are online now. */
    record Colleague(String email, String displayName, boolean online) {
    }

    /** One line of the queue as an agent reads it. */
    record QueueRow(UUID ticketId, String conversationId, int priority, String reason, String reasonExplained,
                    Instant since, String waiting, String sla, String language, String channel,
                    String lastCustomerMessage, boolean readable, boolean claimed, String claimedBy, boolean mine) {

        static QueueRow of(EscalationTicket ticket, String lastCustomerMessage, boolean readable,
                           CustomerContext customer, Instant now, Duration sla, Map<String, String> names,
                           String agentEmail, boolean spanish) {
            Duration waited = Duration.between(ticket.createdAt(), now);
            boolean claimed = ticket.status() == TicketStatus.CLAIMED;
            Function<String, String> name = email -> email == null ? null
                    : names.getOrDefault(email.toLowerCase(Locale.ROOT), email);
            return new QueueRow(ticket.id(), ticket.conversationId().toString(), ticket.priority(),
                    EscalationReasons.label(ticket.reason(), spanish),
                    EscalationReasons.explain(ticket.reason(), ticket.detail(), spanish), ticket.createdAt(),
                    waiting(waited, spanish), claimed ? "ok" : slaLevel(waited, sla),
                    customer.locale().toUpperCase(Locale.ROOT), "Web", lastCustomerMessage, readable, claimed,
                    name.apply(ticket.claimedBy()), ticket.isClaimedBy(agentEmail));
        }

        /** Amber from half the SLA, red past it. */
        static String slaLevel(Duration waited, Duration sla) {
            if (waited.compareTo(sla) > 0) {
                return "red";
            }
            return waited.multipliedBy(2).compareTo(sla) >= 0 ? "amber" : "ok";
        }

        static String waiting(Duration waited, boolean spanish) {
            long minutes = Math.max(0, waited.toMinutes());
            if (minutes < 1) {
                return spanish ? "menos de 1 min" : "under 1 min";
            }
            if (minutes < 60) {
                return minutes + " min";
            }
            return "%d h %02d min".formatted(minutes / 60, minutes % 60);
        }
    }
}
