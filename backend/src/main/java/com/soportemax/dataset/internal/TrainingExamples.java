package com.soportemax.dataset.internal;

import com.soportemax.dataset.internal.ConversationTurns.Turn;
import com.soportemax.dataset.internal.TrainingLines.Message;
import com.soportemax.privacy.NameLexicon;
import com.soportemax.privacy.Redactor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns one conversation into the lines of a format, personal data replaced by the conversation's placeholders.
 * Pairs (DPO) come from corrected bot answers (the correction preferred) and from agents' replies that replaced an
 * unsent draft (the reply preferred); KTO examples from labels, then the customer's thumbs, then the rating.
 */
final class TrainingExamples {

    private final SystemPrompts systemPrompts;
    private final NameLexicon names;

    TrainingExamples(SystemPrompts systemPrompts, NameLexicon names) {
        this.systemPrompts = systemPrompts;
        this.names = names;
    }

    /** Each line passed to {@code out} with its prompt (what de-duplication compares). */
    record Line(Object json, Object prompt) {
    }

    void write(DatasetFormat format, ConversationTurns conversation, Consumer<Line> out) {
        Redactor redactor = Redactor.forConversation(names);
        // The agents' own names first: staff, so <AGENT_n> wherever they appear ("Soy Laura, del equipo de soporte").
        for (Turn turn : conversation.turns) redactor.learnStaffName(turn.agentName());
        // Then names from every text: an agent's "Hola María," or a correction names the customer too.
        for (Turn turn : conversation.turns) {
            redactor.learnNames(turn.text());
            redactor.learnNames(turn.correctedText());
            redactor.learnNames(turn.replacedDraft());
        }
        switch (format) {
            case OPENAI_SFT -> sft(conversation, redactor, out);
            case OPENAI_DPO, TRL_DPO -> pairs(format, conversation, redactor, out);
            case KTO -> kto(conversation, redactor, out);
        }
    }

    private void sft(ConversationTurns conversation, Redactor redactor, Consumer<Line> out) {
        Turn first = conversation.turns.stream().filter(t -> t.settingsVersion() != null).findFirst().orElse(null);
        List<Message> messages = new ArrayList<>();
        messages.add(Message.system(first == null ? systemPrompts.render(systemPrompts.latestVersion(), null, conversation.locale)
                : systemPrompts.render(first.settingsVersion(), first.passages(), conversation.locale)));
        boolean trained = false;
        for (Turn turn : conversation.turns) {
            switch (turn.author()) {
                case CUSTOMER -> messages.add(Message.user(redactor.redact(turn.text())));
                case BOT -> {
                    if (turn.corrected()) {
                        messages.add(Message.assistant(redactor.redact(turn.correctedText())));
                        trained = true;
                    } else if (turn.rejectedByReview()) {
                        messages.add(new Message("assistant", redactor.redact(turn.text()), 0));
                    } else {
                        messages.add(Message.assistant(redactor.redact(turn.text())));
                        trained = true;
                    }
                }
                case AGENT -> {
                    messages.add(Message.assistant(redactor.redact(turn.text())));
                    trained = true;
                }
                case DRAFT -> { }
            }
        }
        if (trained) out.accept(new Line(new TrainingLines.Sft(messages), messages));
    }

    private void pairs(DatasetFormat format, ConversationTurns conversation, Redactor redactor, Consumer<Line> out) {
        List<Message> history = new ArrayList<>();
        Turn draft = null;
        List<Message> draftPrompt = null;
        for (Turn turn : conversation.turns) {
            switch (turn.author()) {
                case CUSTOMER -> history.add(Message.user(redactor.redact(turn.text())));
                case BOT -> {
                    String answer = redactor.redact(turn.text());
                    if (turn.corrected()) {
                        List<Message> prompt = prompt(turn, conversation, history);
                        String better = redactor.redact(turn.correctedText());
                        if (!better.strip().equals(answer.strip())) out.accept(pair(format, prompt, better, answer));
                    }
                    history.add(Message.assistant(answer));
                }
                case DRAFT -> {
                    draft = turn;
                    draftPrompt = prompt(turn, conversation, history);
                }
                case AGENT -> {
                    String reply = redactor.redact(turn.text());
                    // The console's record of the draft this reply replaced comes first; else the unsent draft.
                    String replaced = turn.replacedDraft() != null ? turn.replacedDraft() : draft == null ? null : draft.text();
                    if (replaced != null) {
                        String drafted = redactor.redact(replaced);
                        List<Message> prompt = draftPrompt != null ? draftPrompt : prompt(null, conversation, history);
                        if (!drafted.isBlank() && !drafted.strip().equals(reply.strip())) {
                            out.accept(pair(format, prompt, reply, drafted));
                        }
                    }
                    draft = null;
                    draftPrompt = null;
                    history.add(Message.assistant(reply));
                }
            }
        }
    }

    private void kto(ConversationTurns conversation, Redactor redactor, Consumer<Line> out) {
        List<Message> history = new ArrayList<>();
        for (Turn turn : conversation.turns) {
            switch (turn.author()) {
                case CUSTOMER -> history.add(Message.user(redactor.redact(turn.text())));
                case BOT -> {
                    String answer = redactor.redact(turn.text());
                    Boolean desirable = turn.label() != null ? Boolean.valueOf("good".equals(turn.label()))
                            : turn.helpful() != null ? turn.helpful()
                            : conversation.rating == null || conversation.rating == 3 ? null
                            : Boolean.valueOf(conversation.rating >= 4);
                    List<Message> prompt = prompt(turn, conversation, history);
                    if (desirable != null) {
                        List<Message> completion = List.of(Message.assistant(answer));
                        out.accept(new Line(new TrainingLines.Kto(prompt, completion, desirable), List.of(prompt, completion)));
                    }
                    if (turn.corrected()) {
                        List<Message> completion = List.of(Message.assistant(redactor.redact(turn.correctedText())));
                        out.accept(new Line(new TrainingLines.Kto(prompt, completion, true), List.of(prompt, completion)));
                    }
                    history.add(Message.assistant(answer));
                }
                case AGENT -> history.add(Message.assistant(redactor.redact(turn.text())));
                case DRAFT -> { }
            }
        }
    }

    /** @param answer the answer's record, null for none (the latest settings, no passages) */
    private List<Message> prompt(Turn answer, ConversationTurns conversation, List<Message> history) {
        List<Message> prompt = new ArrayList<>(history.size() + 1);
        prompt.add(Message.system(answer == null || answer.settingsVersion() == null
                ? systemPrompts.render(systemPrompts.latestVersion(), null, conversation.locale)
                : systemPrompts.render(answer.settingsVersion(), answer.passages(), conversation.locale)));
        prompt.addAll(history);
        return prompt;
    }

    private static Line pair(DatasetFormat format, List<Message> prompt, String preferred, String rejected) {
        List<Message> chosen = List.of(Message.assistant(preferred));
        List<Message> other = List.of(Message.assistant(rejected));
        Object json = format == DatasetFormat.OPENAI_DPO
                ? new TrainingLines.OpenAiDpo(new TrainingLines.OpenAiDpo.Input(prompt), chosen, other)
                : new TrainingLines.TrlDpo(prompt, chosen, other);
        return new Line(json, prompt);
    }
}
