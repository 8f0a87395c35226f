/* routes: tokens (filled by its owner) */
