/* routes: account (filled by its owner) */
