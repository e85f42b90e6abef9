package com.soportemax.knowledge.internal;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A knowledge-base article and the passages retrieval works on. The passages are always the split of the current
 * title and body: every revision re-splits them.
 */
@Entity
@Table(name = "knowledge_articles")
class Article {

    @Id
    private UUID id;

    @Column(name = "external_id")
    private String externalId;

    private String title;

    private String body;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "tags", columnDefinition = "text[]")
    private List<String> tags = new ArrayList<>();

    private String language;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Version
    private Long version;

    @ElementCollection(fetch = FetchType.LAZY)
    @org.hibernate.annotations.BatchSize(size = 64)
    @CollectionTable(name = "knowledge_passages", joinColumns = @JoinColumn(name = "article_id"))
    @OrderColumn(name = "position")
    private List<ArticlePassage> passages = new ArrayList<>();

    protected Article() {
        // for JPA
    }

    private Article(UUID id, String externalId, Instant now) {
        this.id = id;
        this.externalId = externalId;
        this.createdAt = now;
    }

    static Article write(ArticleDraft draft, PassageSplitter splitter, Instant now) {
        Article article = new Article(UUID.randomUUID(), draft.externalId(), now);
        article.apply(draft, splitter, now);
        return article;
    }

    /**
     * Takes the draft's content (the external id stays); returns false, touching nothing, when the content is what the
     * article already says.
     */
    boolean revise(ArticleDraft draft, PassageSplitter splitter, Instant now) {
        if (says(draft)) {
            return false;
        }
        apply(draft, splitter, now);
        return true;
    }

    /** Whether this article already has exactly the draft's content. */
    boolean says(ArticleDraft draft) {
        return title.equals(draft.title()) && body.equals(draft.body())
                && tags.equals(draft.tags()) && language.equals(draft.language());
    }

    private void apply(ArticleDraft draft, PassageSplitter splitter, Instant now) {
        this.title = draft.title();
        this.body = draft.body();
        this.tags = new ArrayList<>(draft.tags());
        this.language = draft.language();
        this.updatedAt = now;
        List<ArticlePassage> split = splitter.split(draft.body()).stream()
                .map(text -> new ArticlePassage(draft.title(), draft.language(), text))
                .toList();
        passages.clear();
        passages.addAll(split);
    }

    ArticleView view() {
        return new ArticleView(id, externalId, title, body, List.copyOf(tags), language, createdAt, updatedAt,
                version == null ? 0 : version, passages.size());
    }

    UUID id() {
        return id;
    }

    String externalId() {
        return externalId;
    }

    Long version() {
        return version;
    }

    List<String> passageTexts() {
        return passages.stream().map(ArticlePassage::text).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Article article && Objects.equals(id, article.id);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
