package com.soportemax.privacy;

import java.util.Set;

/**
 * The words a company's own texts (its help-centre articles) write in lower case somewhere: common words for that
 * company, so never a person's name where a customer capitalises them, even when a lexicon knows them as names too
 * ("Bono social" at the start of a message: the articles say "el bono social").
 */
public interface CompanyWords {

    /** The words, as written (lower case); the same set instance while they do not change. */
    Set<String> writtenInLowerCase();
}
