export interface paths {
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List end users in id order, a page at a time; `search` matches external id, email or name (case-insensitive substring).
         * @description List end users in id order, a page at a time; `search` matches external id, email or name (case-insensitive substring).
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        get: operations["get_v1_users"];
        put?: never;
        /**
         * Create an end user and get its embed token (store it beside your user; put it in the page you serve them).
         * @description Create an end user and get its embed token (store it beside your user; put it in the page you serve them).
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        post: operations["post_v1_users"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an end user.
         * @description Read an end user.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        get: operations["get_v1_users_id"];
        put?: never;
        post?: never;
        /**
         * Delete an end user: its embed token and sessions stop working. With `erase_records=true`, first erase every record it owns (every dataset).
         * @description Delete an end user: its embed token and sessions stop working. With `erase_records=true`, first erase every record it owns (every dataset).
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        delete: operations["delete_v1_users_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suspend an end user: its sessions end on their next request.
         * @description Suspend an end user: its sessions end on their next request.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        post: operations["post_v1_users_id_suspend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/reactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reactivate a suspended end user: its embed token works again.
         * @description Reactivate a suspended end user: its embed token works again.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        post: operations["post_v1_users_id_reactivate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/embed-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The user's current embed token.
         * @description The user's current embed token.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        get: operations["get_v1_users_id_embed_token"];
        put?: never;
        /**
         * Rotate the user's secret: the old embed token and every session it opened stop working.
         * @description Rotate the user's secret: the old embed token and every session it opened stop working.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        post: operations["post_v1_users_id_embed_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/validate-embed-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange an embed token for a short-lived session (no API key; the browser calls it).
         * @description Exchange an embed token for a short-lived session (no API key; the browser calls it).
         *
         *     Needs no API key.
         */
        post: operations["post_validate_embed_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/platform/v1/pages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the pages the caller may see, oldest first, a page of results at a time.
         * @description List the pages the caller may see, oldest first, a page of results at a time.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        get: operations["get_platform_v1_pages"];
        put?: never;
        /**
         * Create a page with its widgets.
         * @description Create a page with its widgets.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        post: operations["post_platform_v1_pages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/platform/v1/pages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a page.
         * @description Read a page.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        get: operations["get_platform_v1_pages_id"];
        put?: never;
        post?: never;
        /**
         * Delete a page and every embed minted for it.
         * @description Delete a page and every embed minted for it.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        delete: operations["delete_platform_v1_pages_id"];
        options?: never;
        head?: never;
        /**
         * Change a page: only the fields sent change; `widgets`, when sent, replaces them all.
         * @description Change a page: only the fields sent change; `widgets`, when sent, replaces them all.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        patch: operations["patch_platform_v1_pages_id"];
        trace?: never;
    };
    "/api/platform/v1/pages/{id}/embeds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a page's minted embeds, newest first. Their `label`, `origins` and `rules` are null except for the embed's minter, editors of the page and admins.
         * @description List a page's minted embeds, newest first. Their `label`, `origins` and `rules` are null except for the embed's minter, editors of the page and admins.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        get: operations["get_platform_v1_pages_id_embeds"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/platform/v1/pages/{id}/embed-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a page embed token for an audience, with optional rules, TTL and allowed origins; returns a ready iframe snippet.
         * @description Mint a page embed token for an audience, with optional rules, TTL and allowed origins; returns a ready iframe snippet.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        post: operations["post_platform_v1_pages_id_embed_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/platform/v1/embeds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke one embed: its token stops working on its next load. Its minter or an admin may.
         * @description Revoke one embed: its token stops working on its next load. Its minter or an admin may.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        delete: operations["delete_platform_v1_embeds_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/platform/v1/datasets/{dataset}/records": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Store records (at most 5000 a call). Retry-safe for records that carry an `id`: sent again, they count as duplicates and are not stored twice.
         * @description Store records (at most 5000 a call). Retry-safe for records that carry an `id`: sent again, they count as duplicates and are not stored twice.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        post: operations["post_platform_v1_datasets_dataset_records"];
        /**
         * Erase an owner's records in this dataset (an end user's erasure request). Needs data access to all of that owner's records.
         * @description Erase an owner's records in this dataset (an end user's erasure request). Needs data access to all of that owner's records.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        delete: operations["delete_platform_v1_datasets_dataset_records"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/platform/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The workspace's audit trail, newest first (admins). With `Accept: application/x-ndjson`: one event a line; the next page's cursor is in the `X-Next-Cursor` header.
         * @description The workspace's audit trail, newest first (admins). With `Accept: application/x-ndjson`: one event a line; the next page's cursor is in the `X-Next-Cursor` header.
         *
         *     Needs an API key in `X-API-KEY`; the key’s principal must be allowed to do this.
         */
        get: operations["get_platform_v1_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: {
        /** @description The request is invalid; the message names the field (as this API spells it) and what it accepts. */
        Error400: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "BAD_USER_INPUT",
                 *         "message": "The request is invalid"
                 *       }
                 *     }
                 */
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                        message: string;
                    };
                };
            };
        };
        /** @description No valid API key in `X-API-KEY` (or, for the token exchange, an embed token that does not open). */
        Error401: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "UNAUTHENTICATED",
                 *         "message": "No valid API key in `X-API-KEY` (or, for the token exchange, an embed token that does not open)."
                 *       }
                 *     }
                 */
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                        message: string;
                    };
                };
            };
        };
        /** @description The API key is valid, but its principal may not do this. */
        Error403: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "FORBIDDEN",
                 *         "message": "The API key is valid, but its principal may not do this."
                 *       }
                 *     }
                 */
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                        message: string;
                    };
                };
            };
        };
        /** @description No such resource — or one the caller may not know exists. */
        Error404: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "NOT_FOUND",
                 *         "message": "No such resource — or one the caller may not know exists."
                 *       }
                 *     }
                 */
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                        message: string;
                    };
                };
            };
        };
        /** @description It conflicts with what is stored (a duplicate, or a change made meanwhile). */
        Error409: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "CONFLICT",
                 *         "message": "It conflicts with what is stored (a duplicate, or a change made meanwhile)."
                 *       }
                 *     }
                 */
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                        message: string;
                    };
                };
            };
        };
        /** @description Too many requests: wait `Retry-After` seconds. `RateLimit-Policy` and `RateLimit` say which limit and how much is left. */
        Error429: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "RATE_LIMITED",
                 *         "message": "Too many requests"
                 *       }
                 *     }
                 */
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                        message: string;
                    };
                };
            };
        };
        /** @description The store is unavailable for a moment; retry after `Retry-After` seconds. */
        Error503: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "SERVICE_UNAVAILABLE",
                 *         "message": "The store is unavailable for a moment"
                 *       }
                 *     }
                 */
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                        message: string;
                    };
                };
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /**
         * @description Seconds to wait before retrying.
         * @example 30
         */
        "Retry-After": number;
        /**
         * @description The limit that applies (IETF RateLimit fields): name, quota `q`, window `w` in seconds.
         * @example "api";q=600;w=60
         */
        "RateLimit-Policy": string;
        /**
         * @description Where the caller stands: remaining `r`, seconds to reset `t`.
         * @example "api";r=0;t=30
         */
        RateLimit: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    get_v1_users: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                search?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The users; pass `next_cursor` as `cursor` for more (null on the last page). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "users": [
                     *         {
                     *           "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *           "external_id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *           "email": "ada@example.com",
                     *           "name": "Ada Lovelace",
                     *           "status": "ACTIVE",
                     *           "created_at": "2026-12-01T09:00:00.000Z"
                     *         }
                     *       ],
                     *       "next_cursor": "text",
                     *       "total_count": 1
                     *     }
                     */
                    "application/json": {
                        users: {
                            id: string;
                            external_id: string;
                            email: string | null;
                            name: string | null;
                            /** @enum {string} */
                            status: "ACTIVE" | "SUSPENDED";
                            /** Format: date-time */
                            created_at: string;
                        }[];
                        next_cursor: string | null;
                        total_count: number;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    post_v1_users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "external_id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                 *       "email": "ada@example.com",
                 *       "name": "Ada Lovelace"
                 *     }
                 */
                "application/json": {
                    external_id: string;
                    email?: string | null;
                    name?: string | null;
                };
            };
        };
        responses: {
            /** @description The user and its embed token. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "user": {
                     *         "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "external_id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "email": "ada@example.com",
                     *         "name": "Ada Lovelace",
                     *         "status": "ACTIVE",
                     *         "created_at": "2026-12-01T09:00:00.000Z"
                     *       },
                     *       "embed_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2NWYwIn0.c2lnbmF0dXJlLW9mLTQzLWNoYXJhY3RlcnMtZXhhbXBsZQ"
                     *     }
                     */
                    "application/json": {
                        user: {
                            id: string;
                            external_id: string;
                            email: string | null;
                            name: string | null;
                            /** @enum {string} */
                            status: "ACTIVE" | "SUSPENDED";
                            /** Format: date-time */
                            created_at: string;
                        };
                        embed_token: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    get_v1_users_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "user": {
                     *         "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "external_id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "email": "ada@example.com",
                     *         "name": "Ada Lovelace",
                     *         "status": "ACTIVE",
                     *         "created_at": "2026-12-01T09:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        user: {
                            id: string;
                            external_id: string;
                            email: string | null;
                            name: string | null;
                            /** @enum {string} */
                            status: "ACTIVE" | "SUSPENDED";
                            /** Format: date-time */
                            created_at: string;
                        };
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    delete_v1_users_id: {
        parameters: {
            query?: {
                erase_records?: "true" | "false";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    post_v1_users_id_suspend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user, suspended. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "user": {
                     *         "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "external_id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "email": "ada@example.com",
                     *         "name": "Ada Lovelace",
                     *         "status": "ACTIVE",
                     *         "created_at": "2026-12-01T09:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        user: {
                            id: string;
                            external_id: string;
                            email: string | null;
                            name: string | null;
                            /** @enum {string} */
                            status: "ACTIVE" | "SUSPENDED";
                            /** Format: date-time */
                            created_at: string;
                        };
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    post_v1_users_id_reactivate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user, active. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "user": {
                     *         "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "external_id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "email": "ada@example.com",
                     *         "name": "Ada Lovelace",
                     *         "status": "ACTIVE",
                     *         "created_at": "2026-12-01T09:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        user: {
                            id: string;
                            external_id: string;
                            email: string | null;
                            name: string | null;
                            /** @enum {string} */
                            status: "ACTIVE" | "SUSPENDED";
                            /** Format: date-time */
                            created_at: string;
                        };
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    get_v1_users_id_embed_token: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The embed token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "embed_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2NWYwIn0.c2lnbmF0dXJlLW9mLTQzLWNoYXJhY3RlcnMtZXhhbXBsZQ"
                     *     }
                     */
                    "application/json": {
                        embed_token: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    post_v1_users_id_embed_token: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new embed token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "embed_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2NWYwIn0.c2lnbmF0dXJlLW9mLTQzLWNoYXJhY3RlcnMtZXhhbXBsZQ"
                     *     }
                     */
                    "application/json": {
                        embed_token: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    post_validate_embed_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "embed_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2NWYwIn0.c2lnbmF0dXJlLW9mLTQzLWNoYXJhY3RlcnMtZXhhbXBsZQ"
                 *     }
                 */
                "application/json": {
                    embed_token?: string;
                };
            };
        };
        responses: {
            /** @description The session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "auth_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2NWYwIn0.c2Vzc2lvbi1zaWduYXR1cmUtZXhhbXBsZS0xMjM0NTY3",
                     *       "expires_at": "2026-12-01T09:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        auth_token: string;
                        /** Format: date-time */
                        expires_at: string;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    get_platform_v1_pages: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pages; pass `next_cursor` as `cursor` for more (null on the last page). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "pages": [
                     *         {
                     *           "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *           "title": "Calls this month",
                     *           "description": "text",
                     *           "dashboard": true,
                     *           "refresh_seconds": 1,
                     *           "freshness_seconds": 1,
                     *           "timezone": "Europe/Berlin",
                     *           "week_start": "MONDAY",
                     *           "theme": "LIGHT",
                     *           "date_range": {
                     *             "default": "TODAY",
                     *             "presets": [
                     *               "TODAY"
                     *             ],
                     *             "max_days": 1
                     *           },
                     *           "widgets": [
                     *             {
                     *               "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *               "title": "Calls this month",
                     *               "kind": "NUMBER",
                     *               "query": {
                     *                 "dataset": "calls",
                     *                 "filters": [
                     *                   {
                     *                     "field": "channel",
                     *                     "op": "EQ",
                     *                     "value": "text"
                     *                   }
                     *                 ],
                     *                 "group_by": "text",
                     *                 "bucket": "HOUR",
                     *                 "metric": {
                     *                   "fn": "COUNT",
                     *                   "field": "channel"
                     *                 },
                     *                 "select": [
                     *                   "text"
                     *                 ],
                     *                 "sort": {
                     *                   "field": "channel",
                     *                   "direction": "ASC"
                     *                 },
                     *                 "limit": 1,
                     *                 "series_by": "text"
                     *               },
                     *               "label": "text",
                     *               "column_labels": [
                     *                 "text"
                     *               ],
                     *               "format": {
                     *                 "style": "NUMBER",
                     *                 "currency": "text",
                     *                 "unit": "text",
                     *                 "decimals": 1
                     *               },
                     *               "column_formats": [
                     *                 {
                     *                   "column": "text",
                     *                   "style": "NUMBER",
                     *                   "currency": "text",
                     *                   "unit": "text",
                     *                   "decimals": 1
                     *                 }
                     *               ],
                     *               "width": "FULL"
                     *             }
                     *           ],
                     *           "created_at": "2026-12-01T09:00:00.000Z",
                     *           "updated_at": "2026-12-01T09:00:00.000Z"
                     *         }
                     *       ],
                     *       "next_cursor": "text"
                     *     }
                     */
                    "application/json": {
                        pages: {
                            id: string;
                            title: string;
                            description: string | null;
                            dashboard: boolean;
                            refresh_seconds: number | null;
                            freshness_seconds: number;
                            timezone: string;
                            /** @enum {string} */
                            week_start: "MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY";
                            theme: ("LIGHT" | "DARK" | "AUTO") | null;
                            date_range: {
                                /** @enum {string} */
                                default: "TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME";
                                presets: ("TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME")[];
                                max_days: number;
                            } | null;
                            widgets: {
                                id: string;
                                title: string;
                                /** @enum {string} */
                                kind: "NUMBER" | "TABLE" | "BAR" | "LINE";
                                query: {
                                    dataset: string;
                                    filters: {
                                        field: string;
                                        /** @enum {string} */
                                        op: "EQ" | "NE" | "GT" | "GTE" | "LT" | "LTE" | "IN" | "NIN";
                                        value: (string | number | boolean | null) | (string | number | boolean | null)[];
                                    }[];
                                    group_by: string | null;
                                    bucket: ("HOUR" | "DAY" | "WEEK" | "MONTH") | null;
                                    metric: {
                                        /** @enum {string} */
                                        fn: "COUNT" | "SUM" | "AVG" | "MIN" | "MAX";
                                        field: string | null;
                                    } | null;
                                    select: string[] | null;
                                    sort: {
                                        field: string;
                                        /** @enum {string} */
                                        direction: "ASC" | "DESC";
                                    } | null;
                                    limit: number | null;
                                    series_by: string | null;
                                };
                                label: string | null;
                                column_labels: string[] | null;
                                format: {
                                    /** @enum {string} */
                                    style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                                    currency: string | null;
                                    unit: string | null;
                                    decimals: number | null;
                                } | null;
                                column_formats: {
                                    column: string;
                                    /** @enum {string} */
                                    style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                                    currency: string | null;
                                    unit: string | null;
                                    decimals: number | null;
                                }[] | null;
                                /**
                                 * @description How much of the page's row the widget's card takes (default THIRD for a NUMBER, FULL otherwise).
                                 * @enum {string}
                                 */
                                width: "FULL" | "HALF" | "THIRD";
                            }[];
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    post_platform_v1_pages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "Calls this month",
                 *       "description": "text",
                 *       "dashboard": true,
                 *       "refresh_seconds": 1,
                 *       "freshness_seconds": 1,
                 *       "timezone": "Europe/Berlin",
                 *       "week_start": "MONDAY",
                 *       "theme": "LIGHT",
                 *       "date_range": {
                 *         "default": "TODAY",
                 *         "presets": [
                 *           "TODAY"
                 *         ],
                 *         "max_days": 1
                 *       },
                 *       "widgets": [
                 *         {
                 *           "title": "Calls this month",
                 *           "kind": "NUMBER",
                 *           "query": {
                 *             "dataset": "calls",
                 *             "filters": [
                 *               {
                 *                 "field": "channel",
                 *                 "op": "EQ",
                 *                 "value": null
                 *               }
                 *             ],
                 *             "group_by": "text",
                 *             "bucket": "HOUR",
                 *             "metric": {
                 *               "fn": "COUNT",
                 *               "field": "channel"
                 *             },
                 *             "select": [
                 *               "text"
                 *             ],
                 *             "sort": {
                 *               "field": "channel",
                 *               "direction": "ASC"
                 *             },
                 *             "limit": 1,
                 *             "series_by": "text"
                 *           },
                 *           "label": "text",
                 *           "column_labels": [
                 *             "text"
                 *           ],
                 *           "format": {
                 *             "style": "NUMBER",
                 *             "currency": "text",
                 *             "unit": "text",
                 *             "decimals": 1
                 *           },
                 *           "column_formats": [
                 *             {
                 *               "style": "NUMBER",
                 *               "currency": "text",
                 *               "unit": "text",
                 *               "decimals": 1,
                 *               "column": "text"
                 *             }
                 *           ],
                 *           "width": "FULL"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    title: string;
                    description?: string | null;
                    dashboard?: boolean | null;
                    refresh_seconds?: number | null;
                    freshness_seconds?: number | null;
                    timezone?: string | null;
                    week_start?: ("MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY") | null;
                    theme?: ("LIGHT" | "DARK" | "AUTO") | null;
                    date_range?: {
                        default?: ("TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME") | null;
                        presets?: ("TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME")[] | null;
                        max_days?: number | null;
                    } | null;
                    widgets: {
                        title: string;
                        /** @enum {string} */
                        kind: "NUMBER" | "TABLE" | "BAR" | "LINE";
                        query: {
                            dataset: string;
                            filters?: {
                                field: string;
                                /** @enum {string} */
                                op: "EQ" | "NE" | "GT" | "GTE" | "LT" | "LTE" | "IN" | "NIN";
                                value?: unknown;
                            }[] | null;
                            group_by?: string | null;
                            bucket?: ("HOUR" | "DAY" | "WEEK" | "MONTH") | null;
                            metric?: {
                                /** @enum {string} */
                                fn: "COUNT" | "SUM" | "AVG" | "MIN" | "MAX";
                                field?: string | null;
                            } | null;
                            select?: string[] | null;
                            sort?: {
                                field: string;
                                direction?: ("ASC" | "DESC") | null;
                            } | null;
                            limit?: number | null;
                            series_by?: string | null;
                        };
                        label?: string | null;
                        column_labels?: string[] | null;
                        format?: {
                            /** @enum {string} */
                            style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                            currency?: string | null;
                            unit?: string | null;
                            decimals?: number | null;
                        } | null;
                        column_formats?: {
                            /** @enum {string} */
                            style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                            currency?: string | null;
                            unit?: string | null;
                            decimals?: number | null;
                            column: string;
                        }[] | null;
                        width?: ("FULL" | "HALF" | "THIRD") | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description The new page. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "page": {
                     *         "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "title": "Calls this month",
                     *         "description": "text",
                     *         "dashboard": true,
                     *         "refresh_seconds": 1,
                     *         "freshness_seconds": 1,
                     *         "timezone": "Europe/Berlin",
                     *         "week_start": "MONDAY",
                     *         "theme": "LIGHT",
                     *         "date_range": {
                     *           "default": "TODAY",
                     *           "presets": [
                     *             "TODAY"
                     *           ],
                     *           "max_days": 1
                     *         },
                     *         "widgets": [
                     *           {
                     *             "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *             "title": "Calls this month",
                     *             "kind": "NUMBER",
                     *             "query": {
                     *               "dataset": "calls",
                     *               "filters": [
                     *                 {
                     *                   "field": "channel",
                     *                   "op": "EQ",
                     *                   "value": "text"
                     *                 }
                     *               ],
                     *               "group_by": "text",
                     *               "bucket": "HOUR",
                     *               "metric": {
                     *                 "fn": "COUNT",
                     *                 "field": "channel"
                     *               },
                     *               "select": [
                     *                 "text"
                     *               ],
                     *               "sort": {
                     *                 "field": "channel",
                     *                 "direction": "ASC"
                     *               },
                     *               "limit": 1,
                     *               "series_by": "text"
                     *             },
                     *             "label": "text",
                     *             "column_labels": [
                     *               "text"
                     *             ],
                     *             "format": {
                     *               "style": "NUMBER",
                     *               "currency": "text",
                     *               "unit": "text",
                     *               "decimals": 1
                     *             },
                     *             "column_formats": [
                     *               {
                     *                 "column": "text",
                     *                 "style": "NUMBER",
                     *                 "currency": "text",
                     *                 "unit": "text",
                     *                 "decimals": 1
                     *               }
                     *             ],
                     *             "width": "FULL"
                     *           }
                     *         ],
                     *         "created_at": "2026-12-01T09:00:00.000Z",
                     *         "updated_at": "2026-12-01T09:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        page: {
                            id: string;
                            title: string;
                            description: string | null;
                            dashboard: boolean;
                            refresh_seconds: number | null;
                            freshness_seconds: number;
                            timezone: string;
                            /** @enum {string} */
                            week_start: "MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY";
                            theme: ("LIGHT" | "DARK" | "AUTO") | null;
                            date_range: {
                                /** @enum {string} */
                                default: "TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME";
                                presets: ("TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME")[];
                                max_days: number;
                            } | null;
                            widgets: {
                                id: string;
                                title: string;
                                /** @enum {string} */
                                kind: "NUMBER" | "TABLE" | "BAR" | "LINE";
                                query: {
                                    dataset: string;
                                    filters: {
                                        field: string;
                                        /** @enum {string} */
                                        op: "EQ" | "NE" | "GT" | "GTE" | "LT" | "LTE" | "IN" | "NIN";
                                        value: (string | number | boolean | null) | (string | number | boolean | null)[];
                                    }[];
                                    group_by: string | null;
                                    bucket: ("HOUR" | "DAY" | "WEEK" | "MONTH") | null;
                                    metric: {
                                        /** @enum {string} */
                                        fn: "COUNT" | "SUM" | "AVG" | "MIN" | "MAX";
                                        field: string | null;
                                    } | null;
                                    select: string[] | null;
                                    sort: {
                                        field: string;
                                        /** @enum {string} */
                                        direction: "ASC" | "DESC";
                                    } | null;
                                    limit: number | null;
                                    series_by: string | null;
                                };
                                label: string | null;
                                column_labels: string[] | null;
                                format: {
                                    /** @enum {string} */
                                    style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                                    currency: string | null;
                                    unit: string | null;
                                    decimals: number | null;
                                } | null;
                                column_formats: {
                                    column: string;
                                    /** @enum {string} */
                                    style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                                    currency: string | null;
                                    unit: string | null;
                                    decimals: number | null;
                                }[] | null;
                                /**
                                 * @description How much of the page's row the widget's card takes (default THIRD for a NUMBER, FULL otherwise).
                                 * @enum {string}
                                 */
                                width: "FULL" | "HALF" | "THIRD";
                            }[];
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    get_platform_v1_pages_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "page": {
                     *         "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "title": "Calls this month",
                     *         "description": "text",
                     *         "dashboard": true,
                     *         "refresh_seconds": 1,
                     *         "freshness_seconds": 1,
                     *         "timezone": "Europe/Berlin",
                     *         "week_start": "MONDAY",
                     *         "theme": "LIGHT",
                     *         "date_range": {
                     *           "default": "TODAY",
                     *           "presets": [
                     *             "TODAY"
                     *           ],
                     *           "max_days": 1
                     *         },
                     *         "widgets": [
                     *           {
                     *             "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *             "title": "Calls this month",
                     *             "kind": "NUMBER",
                     *             "query": {
                     *               "dataset": "calls",
                     *               "filters": [
                     *                 {
                     *                   "field": "channel",
                     *                   "op": "EQ",
                     *                   "value": "text"
                     *                 }
                     *               ],
                     *               "group_by": "text",
                     *               "bucket": "HOUR",
                     *               "metric": {
                     *                 "fn": "COUNT",
                     *                 "field": "channel"
                     *               },
                     *               "select": [
                     *                 "text"
                     *               ],
                     *               "sort": {
                     *                 "field": "channel",
                     *                 "direction": "ASC"
                     *               },
                     *               "limit": 1,
                     *               "series_by": "text"
                     *             },
                     *             "label": "text",
                     *             "column_labels": [
                     *               "text"
                     *             ],
                     *             "format": {
                     *               "style": "NUMBER",
                     *               "currency": "text",
                     *               "unit": "text",
                     *               "decimals": 1
                     *             },
                     *             "column_formats": [
                     *               {
                     *                 "column": "text",
                     *                 "style": "NUMBER",
                     *                 "currency": "text",
                     *                 "unit": "text",
                     *                 "decimals": 1
                     *               }
                     *             ],
                     *             "width": "FULL"
                     *           }
                     *         ],
                     *         "created_at": "2026-12-01T09:00:00.000Z",
                     *         "updated_at": "2026-12-01T09:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        page: {
                            id: string;
                            title: string;
                            description: string | null;
                            dashboard: boolean;
                            refresh_seconds: number | null;
                            freshness_seconds: number;
                            timezone: string;
                            /** @enum {string} */
                            week_start: "MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY";
                            theme: ("LIGHT" | "DARK" | "AUTO") | null;
                            date_range: {
                                /** @enum {string} */
                                default: "TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME";
                                presets: ("TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME")[];
                                max_days: number;
                            } | null;
                            widgets: {
                                id: string;
                                title: string;
                                /** @enum {string} */
                                kind: "NUMBER" | "TABLE" | "BAR" | "LINE";
                                query: {
                                    dataset: string;
                                    filters: {
                                        field: string;
                                        /** @enum {string} */
                                        op: "EQ" | "NE" | "GT" | "GTE" | "LT" | "LTE" | "IN" | "NIN";
                                        value: (string | number | boolean | null) | (string | number | boolean | null)[];
                                    }[];
                                    group_by: string | null;
                                    bucket: ("HOUR" | "DAY" | "WEEK" | "MONTH") | null;
                                    metric: {
                                        /** @enum {string} */
                                        fn: "COUNT" | "SUM" | "AVG" | "MIN" | "MAX";
                                        field: string | null;
                                    } | null;
                                    select: string[] | null;
                                    sort: {
                                        field: string;
                                        /** @enum {string} */
                                        direction: "ASC" | "DESC";
                                    } | null;
                                    limit: number | null;
                                    series_by: string | null;
                                };
                                label: string | null;
                                column_labels: string[] | null;
                                format: {
                                    /** @enum {string} */
                                    style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                                    currency: string | null;
                                    unit: string | null;
                                    decimals: number | null;
                                } | null;
                                column_formats: {
                                    column: string;
                                    /** @enum {string} */
                                    style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                                    currency: string | null;
                                    unit: string | null;
                                    decimals: number | null;
                                }[] | null;
                                /**
                                 * @description How much of the page's row the widget's card takes (default THIRD for a NUMBER, FULL otherwise).
                                 * @enum {string}
                                 */
                                width: "FULL" | "HALF" | "THIRD";
                            }[];
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    delete_platform_v1_pages_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    patch_platform_v1_pages_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "Calls this month",
                 *       "description": "text",
                 *       "dashboard": true,
                 *       "refresh_seconds": 1,
                 *       "freshness_seconds": 1,
                 *       "timezone": "Europe/Berlin",
                 *       "week_start": "MONDAY",
                 *       "theme": "LIGHT",
                 *       "date_range": {
                 *         "default": "TODAY",
                 *         "presets": [
                 *           "TODAY"
                 *         ],
                 *         "max_days": 1
                 *       },
                 *       "widgets": [
                 *         {
                 *           "title": "Calls this month",
                 *           "kind": "NUMBER",
                 *           "query": {
                 *             "dataset": "calls",
                 *             "filters": [
                 *               {
                 *                 "field": "channel",
                 *                 "op": "EQ",
                 *                 "value": null
                 *               }
                 *             ],
                 *             "group_by": "text",
                 *             "bucket": "HOUR",
                 *             "metric": {
                 *               "fn": "COUNT",
                 *               "field": "channel"
                 *             },
                 *             "select": [
                 *               "text"
                 *             ],
                 *             "sort": {
                 *               "field": "channel",
                 *               "direction": "ASC"
                 *             },
                 *             "limit": 1,
                 *             "series_by": "text"
                 *           },
                 *           "label": "text",
                 *           "column_labels": [
                 *             "text"
                 *           ],
                 *           "format": {
                 *             "style": "NUMBER",
                 *             "currency": "text",
                 *             "unit": "text",
                 *             "decimals": 1
                 *           },
                 *           "column_formats": [
                 *             {
                 *               "style": "NUMBER",
                 *               "currency": "text",
                 *               "unit": "text",
                 *               "decimals": 1,
                 *               "column": "text"
                 *             }
                 *           ],
                 *           "width": "FULL"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    title?: string;
                    description?: string | null;
                    dashboard?: boolean | null;
                    refresh_seconds?: number | null;
                    freshness_seconds?: number | null;
                    timezone?: string | null;
                    week_start?: ("MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY") | null;
                    theme?: ("LIGHT" | "DARK" | "AUTO") | null;
                    date_range?: {
                        default?: ("TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME") | null;
                        presets?: ("TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME")[] | null;
                        max_days?: number | null;
                    } | null;
                    widgets?: {
                        title: string;
                        /** @enum {string} */
                        kind: "NUMBER" | "TABLE" | "BAR" | "LINE";
                        query: {
                            dataset: string;
                            filters?: {
                                field: string;
                                /** @enum {string} */
                                op: "EQ" | "NE" | "GT" | "GTE" | "LT" | "LTE" | "IN" | "NIN";
                                value?: unknown;
                            }[] | null;
                            group_by?: string | null;
                            bucket?: ("HOUR" | "DAY" | "WEEK" | "MONTH") | null;
                            metric?: {
                                /** @enum {string} */
                                fn: "COUNT" | "SUM" | "AVG" | "MIN" | "MAX";
                                field?: string | null;
                            } | null;
                            select?: string[] | null;
                            sort?: {
                                field: string;
                                direction?: ("ASC" | "DESC") | null;
                            } | null;
                            limit?: number | null;
                            series_by?: string | null;
                        };
                        label?: string | null;
                        column_labels?: string[] | null;
                        format?: {
                            /** @enum {string} */
                            style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                            currency?: string | null;
                            unit?: string | null;
                            decimals?: number | null;
                        } | null;
                        column_formats?: {
                            /** @enum {string} */
                            style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                            currency?: string | null;
                            unit?: string | null;
                            decimals?: number | null;
                            column: string;
                        }[] | null;
                        width?: ("FULL" | "HALF" | "THIRD") | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description The page as changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "page": {
                     *         "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "title": "Calls this month",
                     *         "description": "text",
                     *         "dashboard": true,
                     *         "refresh_seconds": 1,
                     *         "freshness_seconds": 1,
                     *         "timezone": "Europe/Berlin",
                     *         "week_start": "MONDAY",
                     *         "theme": "LIGHT",
                     *         "date_range": {
                     *           "default": "TODAY",
                     *           "presets": [
                     *             "TODAY"
                     *           ],
                     *           "max_days": 1
                     *         },
                     *         "widgets": [
                     *           {
                     *             "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *             "title": "Calls this month",
                     *             "kind": "NUMBER",
                     *             "query": {
                     *               "dataset": "calls",
                     *               "filters": [
                     *                 {
                     *                   "field": "channel",
                     *                   "op": "EQ",
                     *                   "value": "text"
                     *                 }
                     *               ],
                     *               "group_by": "text",
                     *               "bucket": "HOUR",
                     *               "metric": {
                     *                 "fn": "COUNT",
                     *                 "field": "channel"
                     *               },
                     *               "select": [
                     *                 "text"
                     *               ],
                     *               "sort": {
                     *                 "field": "channel",
                     *                 "direction": "ASC"
                     *               },
                     *               "limit": 1,
                     *               "series_by": "text"
                     *             },
                     *             "label": "text",
                     *             "column_labels": [
                     *               "text"
                     *             ],
                     *             "format": {
                     *               "style": "NUMBER",
                     *               "currency": "text",
                     *               "unit": "text",
                     *               "decimals": 1
                     *             },
                     *             "column_formats": [
                     *               {
                     *                 "column": "text",
                     *                 "style": "NUMBER",
                     *                 "currency": "text",
                     *                 "unit": "text",
                     *                 "decimals": 1
                     *               }
                     *             ],
                     *             "width": "FULL"
                     *           }
                     *         ],
                     *         "created_at": "2026-12-01T09:00:00.000Z",
                     *         "updated_at": "2026-12-01T09:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        page: {
                            id: string;
                            title: string;
                            description: string | null;
                            dashboard: boolean;
                            refresh_seconds: number | null;
                            freshness_seconds: number;
                            timezone: string;
                            /** @enum {string} */
                            week_start: "MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY";
                            theme: ("LIGHT" | "DARK" | "AUTO") | null;
                            date_range: {
                                /** @enum {string} */
                                default: "TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME";
                                presets: ("TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME")[];
                                max_days: number;
                            } | null;
                            widgets: {
                                id: string;
                                title: string;
                                /** @enum {string} */
                                kind: "NUMBER" | "TABLE" | "BAR" | "LINE";
                                query: {
                                    dataset: string;
                                    filters: {
                                        field: string;
                                        /** @enum {string} */
                                        op: "EQ" | "NE" | "GT" | "GTE" | "LT" | "LTE" | "IN" | "NIN";
                                        value: (string | number | boolean | null) | (string | number | boolean | null)[];
                                    }[];
                                    group_by: string | null;
                                    bucket: ("HOUR" | "DAY" | "WEEK" | "MONTH") | null;
                                    metric: {
                                        /** @enum {string} */
                                        fn: "COUNT" | "SUM" | "AVG" | "MIN" | "MAX";
                                        field: string | null;
                                    } | null;
                                    select: string[] | null;
                                    sort: {
                                        field: string;
                                        /** @enum {string} */
                                        direction: "ASC" | "DESC";
                                    } | null;
                                    limit: number | null;
                                    series_by: string | null;
                                };
                                label: string | null;
                                column_labels: string[] | null;
                                format: {
                                    /** @enum {string} */
                                    style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                                    currency: string | null;
                                    unit: string | null;
                                    decimals: number | null;
                                } | null;
                                column_formats: {
                                    column: string;
                                    /** @enum {string} */
                                    style: "NUMBER" | "PERCENT" | "CURRENCY" | "DURATION" | "COMPACT";
                                    currency: string | null;
                                    unit: string | null;
                                    decimals: number | null;
                                }[] | null;
                                /**
                                 * @description How much of the page's row the widget's card takes (default THIRD for a NUMBER, FULL otherwise).
                                 * @enum {string}
                                 */
                                width: "FULL" | "HALF" | "THIRD";
                            }[];
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    get_platform_v1_pages_id_embeds: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The embeds. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "embeds": [
                     *         {
                     *           "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *           "page_id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *           "label": "text",
                     *           "audience": "self",
                     *           "minter_id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *           "minter_name": "text",
                     *           "expires_at": "2026-12-01T09:00:00.000Z",
                     *           "origins": [
                     *             "text"
                     *           ],
                     *           "rules": [
                     *             {
                     *               "field": "channel",
                     *               "op": "EQ",
                     *               "value": "text"
                     *             }
                     *           ],
                     *           "created_at": "2026-12-01T09:00:00.000Z",
                     *           "last_used_at": "2026-12-01T09:00:00.000Z",
                     *           "load_count": 1,
                     *           "revoked_at": "2026-12-01T09:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        embeds: {
                            id: string;
                            page_id: string;
                            /** @description A name for the embed; null when none was given, and null for callers other than its minter, an editor of the page or an admin. */
                            label: string | null;
                            /** @enum {string} */
                            audience: "self" | "workspace" | "public";
                            minter_id: string;
                            minter_name: string;
                            /** Format: date-time */
                            expires_at: string;
                            /** @description The sites that may frame it (empty: any site); null for callers other than its minter, an editor of the page or an admin. */
                            origins: string[] | null;
                            /** @description The rules that narrow what it shows; null for callers other than its minter, an editor of the page or an admin. */
                            rules: {
                                field: string;
                                /** @enum {string} */
                                op: "EQ" | "NE" | "GT" | "GTE" | "LT" | "LTE" | "IN" | "NIN";
                                value: (string | number | boolean | null) | (string | number | boolean | null)[];
                            }[] | null;
                            /** Format: date-time */
                            created_at: string;
                            last_used_at: string | null;
                            load_count: number;
                            revoked_at: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    post_platform_v1_pages_id_embed_token: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "audience": "self",
                 *       "ttl_seconds": 1,
                 *       "rules": [
                 *         {
                 *           "field": "channel",
                 *           "op": "EQ",
                 *           "value": null
                 *         }
                 *       ],
                 *       "origins": [
                 *         "text"
                 *       ],
                 *       "label": "text",
                 *       "range": {
                 *         "preset": "TODAY",
                 *         "from": "2026-12-01T09:00:00.000Z",
                 *         "to": "2026-12-01T09:00:00.000Z"
                 *       },
                 *       "viewer_can_change_range": true,
                 *       "timezone": "Europe/Berlin",
                 *       "locale": "de-DE",
                 *       "theme": "LIGHT"
                 *     }
                 */
                "application/json": {
                    /** @enum {string} */
                    audience: "self" | "workspace" | "public";
                    /** @description Lifetime in seconds (default 3600; at most PORTHOLE_MAX_EMBED_TTL_DAYS days, 365 unless set). */
                    ttl_seconds?: number;
                    rules?: {
                        field: string;
                        /** @enum {string} */
                        op: "EQ" | "NE" | "GT" | "GTE" | "LT" | "LTE" | "IN" | "NIN";
                        value?: unknown;
                    }[];
                    origins?: string[];
                    label?: string | null;
                    range?: {
                        preset?: ("TODAY" | "YESTERDAY" | "LAST_7_DAYS" | "LAST_30_DAYS" | "LAST_90_DAYS" | "THIS_MONTH" | "LAST_MONTH" | "THIS_YEAR" | "ALL_TIME") | null;
                        from?: string | null;
                        to?: string | null;
                    };
                    viewer_can_change_range?: boolean;
                    timezone?: string;
                    locale?: string;
                    /** @enum {string} */
                    theme?: "LIGHT" | "DARK" | "AUTO";
                };
            };
        };
        responses: {
            /** @description The minted embed. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *       "token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2NWYwIn0.c2lnbmF0dXJlLW9mLTQzLWNoYXJhY3RlcnMtZXhhbXBsZQ",
                     *       "expires_at": "2026-12-01T09:00:00.000Z",
                     *       "embed_url": "https://porthole.example/embed-page/acme/65f0a1b2c3d4e5f6a7b8c9d0?t=…",
                     *       "snippet": "<iframe src=\"https://porthole.example/embed-page/acme/65f0…?t=…\" title=\"Calls\" style=\"width:100%;height:600px;border:0\"></iframe>",
                     *       "audience": "self"
                     *     }
                     */
                    "application/json": {
                        id: string;
                        token: string;
                        /** Format: date-time */
                        expires_at: string;
                        embed_url: string;
                        snippet: string;
                        /** @enum {string} */
                        audience: "self" | "workspace" | "public";
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    delete_platform_v1_embeds_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The embed, revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "embed": {
                     *         "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "page_id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "label": "text",
                     *         "audience": "self",
                     *         "minter_id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *         "minter_name": "text",
                     *         "expires_at": "2026-12-01T09:00:00.000Z",
                     *         "origins": [
                     *           "text"
                     *         ],
                     *         "rules": [
                     *           {
                     *             "field": "channel",
                     *             "op": "EQ",
                     *             "value": "text"
                     *           }
                     *         ],
                     *         "created_at": "2026-12-01T09:00:00.000Z",
                     *         "last_used_at": "2026-12-01T09:00:00.000Z",
                     *         "load_count": 1,
                     *         "revoked_at": "2026-12-01T09:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        embed: {
                            id: string;
                            page_id: string;
                            /** @description A name for the embed; null when none was given, and null for callers other than its minter, an editor of the page or an admin. */
                            label: string | null;
                            /** @enum {string} */
                            audience: "self" | "workspace" | "public";
                            minter_id: string;
                            minter_name: string;
                            /** Format: date-time */
                            expires_at: string;
                            /** @description The sites that may frame it (empty: any site); null for callers other than its minter, an editor of the page or an admin. */
                            origins: string[] | null;
                            /** @description The rules that narrow what it shows; null for callers other than its minter, an editor of the page or an admin. */
                            rules: {
                                field: string;
                                /** @enum {string} */
                                op: "EQ" | "NE" | "GT" | "GTE" | "LT" | "LTE" | "IN" | "NIN";
                                value: (string | number | boolean | null) | (string | number | boolean | null)[];
                            }[] | null;
                            /** Format: date-time */
                            created_at: string;
                            last_used_at: string | null;
                            load_count: number;
                            revoked_at: string | null;
                        };
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    post_platform_v1_datasets_dataset_records: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dataset: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example [
                 *       {}
                 *     ]
                 */
                "application/json": {
                    [key: string]: unknown;
                }[] | {
                    records: {
                        [key: string]: unknown;
                    }[];
                };
                "application/x-ndjson": string;
            };
        };
        responses: {
            /** @description How many records were stored now, and how many were already stored (same `id`, same owner, same dataset). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "inserted": 1,
                     *       "duplicates": 1
                     *     }
                     */
                    "application/json": {
                        inserted: number;
                        duplicates: number;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    delete_platform_v1_datasets_dataset_records: {
        parameters: {
            query: {
                owner: string;
            };
            header?: never;
            path: {
                dataset: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How many records were erased. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "deleted": 1
                     *     }
                     */
                    "application/json": {
                        deleted: number;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
    get_platform_v1_audit: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                action?: string;
                /** @description A principal id or an end user's externalId. */
                actor?: string;
                /** @description Any id the event acted on. */
                target?: string;
                outcome?: "success" | "failure";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *           "seq": 1,
                     *           "at": "text",
                     *           "action": "text",
                     *           "actor": {
                     *             "kind": "text",
                     *             "id": "65f0a1b2c3d4e5f6a7b8c9d0e1f2",
                     *             "address_digest": "text"
                     *           },
                     *           "targets": {},
                     *           "jti": "text",
                     *           "kid": "text",
                     *           "origin": "text",
                     *           "outcome": "success",
                     *           "detail": {},
                     *           "prev_hash": "text",
                     *           "hash": "text"
                     *         }
                     *       ],
                     *       "next_cursor": "text"
                     *     }
                     */
                    "application/json": {
                        data: {
                            id: string;
                            seq: number;
                            at: string;
                            action: string;
                            actor: {
                                kind: string;
                                id: string | null;
                                address_digest: string | null;
                            };
                            targets: {
                                [key: string]: string;
                            };
                            jti: string | null;
                            kid: string | null;
                            origin: string | null;
                            /** @enum {string} */
                            outcome: "success" | "failure";
                            detail: {
                                [key: string]: unknown;
                            };
                            prev_hash: string;
                            hash: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            503: components["responses"]["Error503"];
            /** @description Any other failure (413 body too large, 500): the same error body. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "EMBED_UNAVAILABLE" | "RATE_LIMITED" | "SERVICE_UNAVAILABLE" | "INTERNAL_SERVER_ERROR";
                            message: string;
                        };
                    };
                };
            };
        };
    };
}
