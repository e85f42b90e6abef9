package com.soportemax.analytics.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's figures for a range of days (UTC). Rates are shares in [0, 1]; null where there is nothing to
 * measure (no conversation, no rating...). Times are seconds.
 *
 * @param outcomes         conversations per outcome: RESOLVED_BY_BOT, ASSISTED, ESCALATED_UNANSWERED, ABANDONED,
 *                         IN_PROGRESS (see the conversation_outcome function, migration V40)
 * @param durableShare     of the conversations resolved by the bot or assisted, the share not reopened within 7 days
 * @param thumbsPerAnswer  thumbs (up or down) given per delivered bot answer
 */
public record SupportStats(LocalDate from, LocalDate to, Totals totals, Map<String, Long> outcomes,
                           Map<String, Long> escalationReasons, List<Day> days, List<KnowledgeGap> gaps) {

    public record Totals(long conversations, Double automationRate, Double escalationRate, Double durableShare,
                         Double medianSecondsToFirstBotAnswer, Double medianSecondsToFirstHumanReply,
                         Double ratingBotOnly, Double ratingWithHuman, long botAnswers, long thumbsUp, long thumbsDown,
                         Double thumbsPerAnswer) {
    }

    public record Day(LocalDate day, long conversations, long resolvedByBot, long escalated, Double automationRate,
                      Double escalationRate, Map<String, Long> escalationReasons, Double medianSecondsToFirstBotAnswer,
                      Double medianSecondsToFirstHumanReply, Double ratingBotOnly, Double ratingWithHuman,
                      long botAnswers, long thumbsUp, long thumbsDown) {
    }

    /**
     * Questions the knowledge base does not answer well, grouped by the words they share.
     *
     * @param draftUrl a new article prefilled with the first question and the agent's answer to it
     */
    public record KnowledgeGap(List<String> terms, List<String> questions, double lowestConfidence, String draftUrl) {
    }
}
