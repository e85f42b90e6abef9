package com.soportemax.knowledge.web;

import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.internal.ArticleCatalog;
import com.soportemax.knowledge.internal.ArticleDraft;
import com.soportemax.knowledge.internal.ArticleView;
import com.soportemax.knowledge.internal.InvalidArticlesException;
import com.soportemax.knowledge.internal.SemanticRetrievalStatus;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Admin pages of the knowledge base: list, live retrieval check, edit form, JSON upload. */
@Controller
@RequestMapping("/admin/knowledge")
class KnowledgeAdminPages {

    static final String ARTICLES = "knowledge/articles";
    static final String SEARCH_RESULTS = "knowledge/articles :: results";
    static final String SEMANTIC_STATUS = "knowledge/articles :: semantic";
    static final String FORM = "knowledge/form";
    private static final String BACK_TO_LIST = "redirect:/admin/knowledge";

    private final ArticleCatalog catalog;
    private final KnowledgeBase knowledgeBase;
    private final JsonMapper json;
    private final SemanticRetrievalStatus semantic;

    KnowledgeAdminPages(ArticleCatalog catalog, KnowledgeBase knowledgeBase, JsonMapper json,
                        SemanticRetrievalStatus semantic) {
        this.catalog = catalog;
        this.knowledgeBase = knowledgeBase;
        this.json = json;
        this.semantic = semantic;
    }

    @GetMapping
    String articles(Model model) {
        model.addAttribute("articles", catalog.list());
        model.addAttribute("semantic", semantic.view());
        return ARTICLES;
    }

    /** The semantic-retrieval card alone: the page polls it while the model loads or passages are embedded. */
    @GetMapping("/semantic")
    String semantic(Model model) {
        model.addAttribute("semantic", semantic.view());
        return SEMANTIC_STATUS;
    }

    @GetMapping("/search")
    String search(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "es") String locale,
                  Model model) {
        model.addAttribute("passages", q.isBlank() ? null : knowledgeBase.search(q, locale, 10));
        return SEARCH_RESULTS;
    }

    /** A new article; title, body and language may come prefilled (the dashboard's knowledge gaps link here). */
    @GetMapping("/new")
    String newArticle(@RequestParam(defaultValue = "") String title, @RequestParam(defaultValue = "") String body,
                      @RequestParam(defaultValue = "es") String language, Model model) {
        model.addAttribute("article", new ArticleForm(null, null, title, body, "", "en".equals(language) ? "en" : "es", null));
        return FORM;
    }

    @PostMapping
    String create(@ModelAttribute ArticleForm form, Model model, RedirectAttributes redirect) {
        try {
            ArticleView created = catalog.create(form.draft());
            redirect.addFlashAttribute("notice", "Artículo «" + created.title() + "» creado.");
            return BACK_TO_LIST;
        } catch (InvalidArticlesException e) {
            return formWithProblems(form, null, describe(e), model);
        }
    }

    @GetMapping("/{id}/edit")
    String edit(@PathVariable UUID id, Model model) {
        ArticleView article = catalog.find(id).orElseThrow(() -> notFound(id));
        model.addAttribute("article", ArticleForm.of(article));
        model.addAttribute("passages", catalog.passagesOf(id));
        return FORM;
    }

    @PostMapping("/{id}")
    String revise(@PathVariable UUID id, @ModelAttribute ArticleForm form, Model model, RedirectAttributes redirect) {
        try {
            ArticleView revised = catalog.revise(id, form.version() == null ? 0 : form.version(), form.draft());
            redirect.addFlashAttribute("notice", "Artículo «" + revised.title() + "» guardado.");
            return BACK_TO_LIST;
        } catch (InvalidArticlesException e) {
            return formWithProblems(form, id, describe(e), model);
        } catch (OptimisticLockingFailureException e) {
            return formWithProblems(form, id, List.of(e.getMessage()), model);
        }
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable UUID id, RedirectAttributes redirect) {
        if (!catalog.delete(id)) {
            throw notFound(id);
        }
        redirect.addFlashAttribute("notice", "Artículo eliminado.");
        return BACK_TO_LIST;
    }

    @PostMapping("/import")
    String importFile(@RequestParam("file") MultipartFile file, RedirectAttributes redirect) {
        try (InputStream in = file.getInputStream()) {
            List<ArticleDraft> drafts = json.readValue(in, new TypeReference<List<ArticleDraft>>() {
            });
            ArticleCatalog.ImportResult result = catalog.importArticles(drafts);
            redirect.addFlashAttribute("notice", "Importación de «" + file.getOriginalFilename() + "»: "
                    + result.created() + " creados, " + result.updated() + " actualizados, "
                    + result.unchanged() + " sin cambios.");
        } catch (InvalidArticlesException e) {
            redirect.addFlashAttribute("problems", describe(e));
        } catch (JacksonException e) {
            redirect.addFlashAttribute("problems", List.of("El archivo no es un array JSON de artículos válido: "
                    + e.getOriginalMessage() + " (en " + e.getPathReference() + ")"));
        } catch (IOException e) {
            redirect.addFlashAttribute("problems", List.of("No se pudo leer el archivo: " + e.getMessage()));
        }
        return BACK_TO_LIST;
    }

    private String formWithProblems(ArticleForm form, UUID id, List<String> problems, Model model) {
        model.addAttribute("article", form.withId(id));
        model.addAttribute("problems", problems);
        if (id != null) {
            model.addAttribute("passages", catalog.passagesOf(id));
        }
        return FORM;
    }

    private static List<String> describe(InvalidArticlesException e) {
        return e.problems().stream()
                .map(p -> (p.index() >= 0 ? "artículo " + p.index() + ", " : "") + p.field() + ": " + p.message())
                .toList();
    }

    private static ResponseStatusException notFound(UUID id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No article with id " + id);
    }

    /** The edit form's fields; tags as one comma-separated line. */
    record ArticleForm(UUID id, String externalId, String title, String body, String tags, String language,
                       Long version) {

        static final ArticleForm EMPTY = new ArticleForm(null, null, "", "", "", "es", null);

        static ArticleForm of(ArticleView article) {
            return new ArticleForm(article.id(), article.externalId(), article.title(), article.body(),
                    String.join(", ", article.tags()), article.language(), article.version());
        }

        ArticleDraft draft() {
            List<String> tagList = tags == null ? List.of()
                    : Arrays.stream(tags.split(",")).map(String::strip).filter(tag -> !tag.isEmpty()).toList();
            return new ArticleDraft(externalId, title, body, tagList, language);
        }

        ArticleForm withId(UUID id) {
            return new ArticleForm(id, externalId, title, body, tags, language, version);
        }
    }
}
