/**
 * Conform's catalog: the metadata store for run history, per-model counts and incremental source
 * and model state. {@link dev.conform.catalog.CatalogStore} is the entry point.
 */
package dev.conform.catalog;
