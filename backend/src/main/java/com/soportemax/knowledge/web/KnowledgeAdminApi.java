package com.soportemax.knowledge.web;

import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Passage;
import com.soportemax.knowledge.internal.ArticleCatalog;
import com.soportemax.knowledge.internal.ArticleDraft;
import com.soportemax.knowledge.internal.ArticleView;
import com.soportemax.knowledge.internal.InvalidArticlesException;
import com.soportemax.knowledge.internal.SemanticRetrievalStatus;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Admin API of the knowledge base (HTTP Basic, role ADMIN, per the security chain's rule for /api/admin/**). */
@RestController
@RequestMapping("/api/admin/knowledge")
class KnowledgeAdminApi {

    private final ArticleCatalog catalog;
    private final KnowledgeBase knowledgeBase;
    private final SemanticRetrievalStatus semantic;

    KnowledgeAdminApi(ArticleCatalog catalog, KnowledgeBase knowledgeBase, SemanticRetrievalStatus semantic) {
        this.catalog = catalog;
        this.knowledgeBase = knowledgeBase;
        this.semantic = semantic;
    }

    /** Semantic retrieval: the embedding model's state, how many passages have a vector, and any notice. */
    @GetMapping("/semantic")
    SemanticRetrievalStatus.View semantic() {
        return semantic.view();
    }

    /**
     * Imports a JSON array of {@code {"externalId","title","body","tags","language"}}: an item whose externalId exists
     * updates that article, any other item creates one. All or nothing.
     */
    @PostMapping("/import")
    ArticleCatalog.ImportResult importArticles(@RequestBody List<ArticleDraft> articles) {
        return catalog.importArticles(articles);
    }

    @GetMapping("/articles")
    List<ArticleSummary> articles() {
        return catalog.list().stream().map(ArticleSummary::of).toList();
    }

    @GetMapping("/articles/{id}")
    ResponseEntity<ArticleView> article(@PathVariable UUID id) {
        return ResponseEntity.of(catalog.find(id));
    }

    @DeleteMapping("/articles/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        return catalog.delete(id) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    /** What retrieval returns for a question, with scores: for checking the knowledge base answers what it should. */
    @GetMapping("/search")
    List<Passage> search(@RequestParam String q, @RequestParam(defaultValue = "es") String locale,
                         @RequestParam(defaultValue = "5") int limit) {
        return knowledgeBase.search(q, locale, limit);
    }

    @ExceptionHandler(InvalidArticlesException.class)
    ProblemDetail invalidArticles(InvalidArticlesException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Nothing was imported. Fix these and send the request again: " + e.getMessage());
        problem.setTitle("Invalid articles");
        problem.setProperty("errors", e.problems().stream()
                .map(p -> Map.of("index", p.index(), "field", p.field(), "message", p.message()))
                .toList());
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badArgument(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** Malformed JSON or a value of the wrong type: says where, as the item index and field. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        String where = "";
        if (e.getCause() instanceof JacksonException json && !json.getPath().isEmpty()) {
            List<String> path = new ArrayList<>();
            for (JacksonException.Reference reference : json.getPath()) {
                if (reference.getPropertyName() != null) {
                    path.add("field \"" + reference.getPropertyName() + "\"");
                } else if (reference.getIndex() >= 0) {
                    path.add("item " + reference.getIndex());
                }
            }
            where = " at " + String.join(", ", path);
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Nothing was imported: the body must be a JSON array of {\"externalId\",\"title\",\"body\",\"tags\"}"
                        + " objects (tags a list of strings, optional \"language\" es or en); unreadable value" + where
                        + ".");
        problem.setTitle("Unreadable request");
        return problem;
    }

    record ArticleSummary(UUID id, String externalId, String title, List<String> tags, String language,
                          Instant updatedAt, long version, int passageCount) {

        static ArticleSummary of(ArticleView article) {
            return new ArticleSummary(article.id(), article.externalId(), article.title(), article.tags(),
                    article.language(), article.updatedAt(), article.version(), article.passageCount());
        }
    }
}
