package com.soportemax.privacy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTests {

    @Test
    void masksALuhnValidCardWrittenWithSpacesOrDashesKeepingTheLastFourDigits() {
        assertThat(CardMask.mask("Mi tarjeta es 4539 1488 0343 6467, gracias"))
                .isEqualTo("Mi tarjeta es •••• •••• •••• 6467, gracias");
        assertThat(CardMask.mask("4539-1488-0343-6467")).isEqualTo("•••• •••• •••• 6467");
        assertThat(CardMask.mask("4539148803436467")).isEqualTo("•••• •••• •••• 6467");
    }

    @Test
    void leavesDigitRunsThatAreNotCardNumbersAlone() {
        String order = "Pedido 1234 5678 1234 5678 y teléfono 612 345 678";
        assertThat(CardMask.mask(order)).isEqualTo(order);
        String iban = "IBAN ES91 2100 0418 4502 0005 1332";
        assertThat(CardMask.mask(iban)).isEqualTo(iban);
    }

    @Test
    void replacesEveryKindOfPersonalDataWithAPlaceholder() {
        Redactor redactor = Redactor.forConversation();
        String text = redactor.redact("Hola, me llamo Lucía Fernández. Mi DNI es 12345678Z, el de mi marido X1234567L, "
                + "la empresa B12345674. Cobradme en ES91 2100 0418 4502 0005 1332 o con la tarjeta 4539 1488 0343 6467. "
                + "Llamadme al 612 34 56 78, a casa al 912 345 678 o a Londres al +44 20 7946 0958; "
                + "correo lucia.fernandez@example.com");
        assertThat(text).isEqualTo("Hola, me llamo <NAME_1>. Mi DNI es <DNI_1>, el de mi marido <NIE_1>, "
                + "la empresa <CIF_1>. Cobradme en <IBAN_1> o con la tarjeta <CARD_1>. "
                + "Llamadme al <PHONE_1>, a casa al <PHONE_2> o a Londres al <PHONE_3>; "
                + "correo <EMAIL_1>");
    }

    @Test
    void keepsPlaceholdersStableAcrossTheMessagesOfAConversation() {
        Redactor redactor = Redactor.forConversation();
        assertThat(redactor.redact("Soy Marta, mi móvil es 612345678")).isEqualTo("Soy <NAME_1>, mi móvil es <PHONE_1>");
        assertThat(redactor.redact("Gracias Marta, te llamamos al +34 612 34 56 78 o al 699 111 222"))
                .isEqualTo("Gracias <NAME_1>, te llamamos al <PHONE_1> o al <PHONE_2>");
        assertThat(Redactor.forConversation().redact("699 111 222")).isEqualTo("<PHONE_1>");
    }

    @Test
    void leavesInvalidIdentifiersAndOrdinaryWordsAlone() {
        Redactor redactor = Redactor.forConversation();
        String text = "Soy cliente desde 2019, pedido 12345678A, IBAN ES00 2100 0418 4502 0005 1332, 3 unidades";
        assertThat(redactor.redact(text)).isEqualTo(text);
    }

    @Test
    void replacesANameMentionedBeforeTheCustomerGaveIt() {
        Redactor redactor = Redactor.forConversation();
        redactor.learnNames("My name is John Smith");
        assertThat(redactor.redact("Hello John Smith, how can I help?")).isEqualTo("Hello <NAME_1>, how can I help?");
    }

    @Test
    void replacesNamesGivenInTheWaysCustomersGiveThem() {
        assertThat(Redactor.forConversation().redact("Buenas, mi nombre es Ana Belén y no me llega el pedido"))
                .isEqualTo("Buenas, mi nombre es <NAME_1> y no me llega el pedido");
        assertThat(Redactor.forConversation().redact("El pedido está a nombre de Juan Pérez de la Fuente, ¿lo veis?"))
                .isEqualTo("El pedido está a nombre de <NAME_1>, ¿lo veis?");
        assertThat(Redactor.forConversation().redact("No funciona el cupón.\nUn saludo, Pedro"))
                .isEqualTo("No funciona el cupón.\nUn saludo, <NAME_1>");
        assertThat(Redactor.forConversation().redact("Quiero cambiar la talla. Atentamente,\nCarmen Ortega."))
                .isEqualTo("Quiero cambiar la talla. Atentamente,\n<NAME_1>.");
    }

    @Test
    void replacesNamesAgentsAndCorrectionsAddressThePersonBy() {
        Redactor redactor = Redactor.forConversation();
        assertThat(redactor.redact("Hola María, su pedido sale mañana.")).isEqualTo("Hola <NAME_1>, su pedido sale mañana.");
        assertThat(redactor.redact("Gracias, Sr. García. Buen día")).isEqualTo("Gracias, Sr. <NAME_2>. Buen día");
        assertThat(redactor.redact("Estimada doña Carmen Ortega, le escribo por su devolución"))
                .isEqualTo("Estimada doña <NAME_3>, le escribo por su devolución");
        assertThat(redactor.redact("Hi Tom, thanks for waiting")).isEqualTo("Hi <NAME_4>, thanks for waiting");
        assertThat(redactor.counts()).containsEntry(Redactor.Kind.NAME, 4);
    }

    @Test
    void aNameOnceLearnedIsReplacedEverywhereInAnyCaseAndWithOrWithoutAccents() {
        Redactor redactor = Redactor.forConversation();
        redactor.learnNames("Hola, me llamo Lucía Fernández");
        assertThat(redactor.redact("LUCIA, te llamamos mañana")).isEqualTo("<NAME_1>, te llamamos mañana");
        assertThat(redactor.redact("gracias lucia fernandez")).isEqualTo("gracias <NAME_1>");
        assertThat(redactor.redact("La Sra. Fernández ya tiene el reembolso"))
                .isEqualTo("La Sra. <NAME_1> ya tiene el reembolso");
        // Only whole words: "Ana" is not inside "mañana" or "Ananás".
        Redactor ana = Redactor.forConversation();
        ana.learnNames("me llamo Ana");
        assertThat(ana.redact("Mañana llega el zumo de ananás, ana")).isEqualTo("Mañana llega el zumo de ananás, <NAME_1>");
    }

    @Test
    void leavesGreetingsProductsAndOrdinaryCapitalisedWordsAlone() {
        Redactor redactor = Redactor.forConversation();
        for (String text : List.of("Hola, buenos días", "Hola, Buenos días, quería saber el horario",
                "Hola Equipo, tengo una duda", "Gracias por todo.", "Hola SoporteMax, ¿abrís el domingo?",
                "Quiero devolver el iPhone y la Funda Premium.", "Soy cliente desde hace años", "Soy Cliente Premium.",
                "Hola Quiero saber cuánto cuesta el envío", "Muchas gracias, Saludos", "This is the best Option.",
                "Gracias, SoporteMax.", "Un saludo")) {
            assertThat(redactor.redact(text)).as(text).isEqualTo(text);
        }
        assertThat(redactor.counts()).doesNotContainKey(Redactor.Kind.NAME);
    }

    @Test
    void anAgentsOwnNameIsStaffDataAndGetsAStaffPlaceholderWhereverItAppears() {
        Redactor redactor = Redactor.forConversation();
        redactor.learnStaffName("Laura Gómez");
        redactor.learnNames("Gracias Laura, me llamo Pedro Ruiz");
        assertThat(redactor.redact("Hola, soy Laura, del equipo de soporte. ¿Me dices tu número de pedido?"))
                .isEqualTo("Hola, soy <AGENT_1>, del equipo de soporte. ¿Me dices tu número de pedido?");
        assertThat(redactor.redact("Gracias Laura, me llamo Pedro Ruiz")).isEqualTo("Gracias <AGENT_1>, me llamo <NAME_1>");
        assertThat(redactor.redact("Laura Gómez te llamará mañana, Pedro.")).isEqualTo("<AGENT_1> te llamará mañana, <NAME_1>.");
        assertThat(redactor.counts()).containsEntry(Redactor.Kind.AGENT, 1).containsEntry(Redactor.Kind.NAME, 1);
        // An e-mail address for a display name names no one.
        Redactor unnamed = Redactor.forConversation();
        unnamed.learnStaffName("laura@soportemax.test");
        assertThat(unnamed.redact("Soy Laura")).isEqualTo("Soy <NAME_1>");
    }
}
