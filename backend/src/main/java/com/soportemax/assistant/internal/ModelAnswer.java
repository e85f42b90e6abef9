package com.soportemax.assistant.internal;

import java.util.regex.Pattern;

/** How a model's answer reads: whether it says it does not know (the instructions ask it to, when the passages do not answer). */
final class ModelAnswer {

    private static final Pattern DOES_NOT_KNOW = Pattern.compile(" (?:no lo se|no se |no tengo (?:esa |la |suficiente )?informacion|"
            + "no dispongo de|no encuentro|no puedo ayudarte con|no puedo responder|no aparece en|no figura en|"
            + "los pasajes no|la informacion (?:proporcionada|disponible) no|una persona del equipo|"
            + "alguien del equipo|i do not know|i don t know|i am not sure|no information|i can not help|"
            + "i cannot help|the passages do not|not in the passages|someone from the support team|"
            + "a person from the support team)");

    private ModelAnswer() {
    }

    static boolean saysItDoesNotKnow(String answer) {
        return DOES_NOT_KNOW.matcher(CustomerText.of(answer).normalized()).find();
    }
}
