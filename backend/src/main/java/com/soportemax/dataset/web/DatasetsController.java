package com.soportemax.dataset.web;

import com.soportemax.dataset.internal.DatasetExports;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The datasets page: the export form (its button downloads the file) and the list of past exports. */
@Controller
class DatasetsController {

    static final String PAGE = "dataset/exports";

    private final DatasetExports exports;

    DatasetsController(DatasetExports exports) {
        this.exports = exports;
    }

    @GetMapping("/admin/datasets")
    String page(Model model) {
        model.addAttribute("exports", exports.recent(50));
        return PAGE;
    }
}
