package com.soportemax.knowledge.internal;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Writing, importing and removing articles; every write re-splits the article into passages in the same transaction. */
@Service
public class ArticleCatalog {

    private final Articles articles;
    private final PassageSplitter splitter;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    ArticleCatalog(Articles articles, KnowledgeProperties properties, ApplicationEventPublisher events) {
        this.articles = articles;
        this.events = events;
        this.splitter = properties.splitter();
        this.clock = Clock.systemUTC();
    }

    /**
     * Creates or updates (matched by external id) every article of the batch, or nothing at all: the whole batch is
     * validated first and runs in one transaction.
     *
     * @throws InvalidArticlesException naming the index and field of every invalid item
     */
    @Transactional
    public ImportResult importArticles(List<ArticleDraft> drafts) {
        List<InvalidArticlesException.Problem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < drafts.size(); i++) {
            ArticleDraft draft = drafts.get(i);
            if (draft == null) {
                problems.add(new InvalidArticlesException.Problem(i, "item", "must be an object, not null"));
                continue;
            }
            for (ArticleDraft.FieldProblem problem : draft.problems()) {
                problems.add(new InvalidArticlesException.Problem(i, problem.field(), problem.message()));
            }
            if (draft.externalId() != null && !seen.add(draft.externalId())) {
                problems.add(new InvalidArticlesException.Problem(i, "externalId",
                        "repeats \"" + draft.externalId() + "\" from an earlier item of the same import"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidArticlesException(problems);
        }
        Map<String, Article> existing = articles.findByExternalIdIn(seen).stream()
                .collect(Collectors.toMap(Article::externalId, Function.identity()));
        Instant now = clock.instant();
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        for (ArticleDraft draft : drafts) {
            Article article = draft.externalId() == null ? null : existing.get(draft.externalId());
            if (article == null) {
                articles.save(Article.write(draft, splitter, now));
                created++;
            } else if (article.revise(draft, splitter, now)) {
                updated++;
            } else {
                unchanged++;
            }
        }
        passagesChanged();
        return new ImportResult(created, updated, unchanged);
    }

    /** Creates one article; its external id, if any, must not be in use. */
    @Transactional
    public ArticleView create(ArticleDraft draft) {
        requireValid(draft);
        if (draft.externalId() != null && articles.findByExternalId(draft.externalId()).isPresent()) {
            throw new InvalidArticlesException(List.of(new InvalidArticlesException.Problem(-1, "externalId",
                    "\"" + draft.externalId() + "\" is already used by another article")));
        }
        ArticleView created = articles.save(Article.write(draft, splitter, clock.instant())).view();
        passagesChanged();
        return created;
    }

    /**
     * Replaces the content of an article that is still at {@code expectedVersion} (what the editor started from).
     *
     * @throws OptimisticLockingFailureException when someone else changed it meanwhile
     */
    @Transactional
    public ArticleView revise(UUID id, long expectedVersion, ArticleDraft draft) {
        requireValid(draft);
        Article article = articles.findById(id).orElseThrow(() -> notFound(id));
        if (article.version() != expectedVersion) {
            throw new OptimisticLockingFailureException("The article \"" + id + "\" was changed by someone else since"
                    + " you opened it (version " + expectedVersion + ", now " + article.version()
                    + "); reload it and apply your changes again.");
        }
        if (!java.util.Objects.equals(article.externalId(), draft.externalId())) {
            throw new InvalidArticlesException(List.of(new InvalidArticlesException.Problem(-1, "externalId",
                    "cannot be changed once set (it is how imports find the article)")));
        }
        article.revise(draft, splitter, clock.instant());
        passagesChanged();
        return article.view();
    }

    /** Deletes an article and its passages; returns false when there was no such article. */
    @Transactional
    public boolean delete(UUID id) {
        Optional<Article> article = articles.findById(id);
        article.ifPresent(articles::delete);
        passagesChanged();
        return article.isPresent();
    }

    /**
     * Writes the change now; retrieval sees it once the transaction commits ({@link PassageIndex}), and the changed
     * passages are embedded after that ({@link PassageEmbedding}).
     */
    private void passagesChanged() {
        articles.flush();
        events.publishEvent(new ArticlesChanged());
    }

    @Transactional(readOnly = true)
    public Optional<ArticleView> find(UUID id) {
        return articles.findById(id).map(Article::view);
    }

    @Transactional(readOnly = true)
    public Optional<ArticleView> findByExternalId(String externalId) {
        return articles.findByExternalId(externalId).map(Article::view);
    }

    /** The passages an article is currently split into, in order. */
    @Transactional(readOnly = true)
    public List<String> passagesOf(UUID id) {
        return articles.findById(id).map(Article::passageTexts).orElseThrow(() -> notFound(id));
    }

    /** Every article, by title. */
    @Transactional(readOnly = true)
    public List<ArticleView> list() {
        return articles.findAll(Sort.by("title")).stream().map(Article::view).toList();
    }

    @Transactional(readOnly = true)
    public long count() {
        return articles.count();
    }

    private static void requireValid(ArticleDraft draft) {
        List<InvalidArticlesException.Problem> problems = draft.problems().stream()
                .map(problem -> new InvalidArticlesException.Problem(-1, problem.field(), problem.message()))
                .toList();
        if (!problems.isEmpty()) {
            throw new InvalidArticlesException(problems);
        }
    }

    private static NoSuchElementException notFound(UUID id) {
        return new NoSuchElementException("No article with id " + id);
    }

    /** What an import did; {@code unchanged} counts items whose article already said exactly the same. */
    public record ImportResult(int created, int updated, int unchanged) {
    }
}
