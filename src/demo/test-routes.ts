import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { INestApplication } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { Express } from 'express';
import { ACCESS_KEY, type RouteAccess } from '../auth/access.decorator';
import type { Role } from '../auth/roles';

/** One route the app answers, as a test sees it (`GET /__test__/routes`). */
export interface ListedRoute {
  /** GET, POST…, or USE for a handler mounted on a path prefix whose routes cannot be read (a static folder, another app). */
  method: string;
  /** Express path, e.g. `/etablissements/:establishment/detenus`; a mount ends with `/*`. */
  path: string;
  /** What the route declares (@Public or @Roles, on the handler or its controller); null when nothing, or not a Nest route. */
  access: { public: true } | { roles: Role[] } | null;
  /** Whether a Nest controller handles it (false: plain Express, mounted by main.ts). */
  nest: boolean;
  /** For a mount (USE): the name of the function mounted, to tell a rate limiter from a handler. */
  handler?: string;
}

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle: { stack?: RouterLayer[] };
  rawPath?: unknown;
  slash?: boolean;
  name?: string;
}

/**
 * Every route of the app, read from the running code: the Express router (what really answers,
 * routers mounted by main.ts included) joined to the Nest controllers' metadata (method, path and
 * the access declaration the global AccessGuard reads, with the same precedence: handler, then class).
 */
export function listRoutes(app: INestApplication): ListedRoute[] {
  const declared = nestRoutes(app);
  const express = app.getHttpAdapter().getInstance() as Express & { router: { stack: RouterLayer[] } };
  const out: ListedRoute[] = [];
  const seen = new Set<string>();
  const add = (method: string, path: string, handler?: string) => {
    const key = `${method} ${path}${handler ? ` ${handler}` : ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ method, path, access: declared.get(key) ?? null, nest: declared.has(key), ...(handler ? { handler } : {}) });
  };
  walk(express.router.stack, '', add);
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function walk(stack: RouterLayer[], prefix: string, add: (method: string, path: string, handler?: string) => void): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? (layer.route.path as unknown[]) : [layer.route.path];
      for (const p of paths) {
        const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m]);
        for (const m of methods) add(m === '_all' ? 'ALL' : m.toUpperCase(), normalise(`${prefix}/${String(p)}`));
      }
      continue;
    }
    // Middleware on every path (session, helmet, body parsers, Nest's middleware on `{*path}`, its 404 and
    // error handlers) is no route; inside a router mounted on a prefix, it answers that whole prefix.
    const everywhere =
      layer.slash ||
      layer.rawPath === undefined ||
      layer.rawPath === '/' ||
      (typeof layer.rawPath === 'string' && /^\/(\*\w+|\{\*\w+\})$/.test(layer.rawPath));
    if (everywhere) {
      if (Array.isArray(layer.handle.stack)) walk(layer.handle.stack, prefix, add);
      else if (prefix !== '') add('USE', `${prefix}/*`, layer.name);
      continue;
    }
    const mounts = Array.isArray(layer.rawPath) ? (layer.rawPath as unknown[]) : [layer.rawPath];
    for (const mount of mounts) {
      const at = normalise(`${prefix}/${String(mount)}`);
      if (Array.isArray(layer.handle.stack)) walk(layer.handle.stack, at, add);
      else add('USE', normalise(`${at}/*`), layer.name);
    }
  }
}

/** `METHOD path` -> access, for every handler of every Nest controller. */
function nestRoutes(app: INestApplication): Map<string, ListedRoute['access']> {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes = new Map<string, ListedRoute['access']>();
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    const metatype = wrapper.metatype;
    if (!instance || !metatype) continue;
    const prototype = Object.getPrototypeOf(instance) as object;
    const classPaths = asArray(Reflect.getMetadata(PATH_METADATA, metatype) as string | string[] | undefined);
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = (prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
      const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (methodPath === undefined) continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
      const access = reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_KEY, [handler, metatype]);
      const listed = access === undefined ? null : access.public ? { public: true as const } : { roles: [...access.roles] };
      for (const c of classPaths) {
        for (const m of asArray(methodPath)) {
          const verb = method === RequestMethod.ALL ? 'ALL' : RequestMethod[method];
          routes.set(`${verb} ${normalise(`/${c}/${m}`)}`, listed);
        }
      }
    }
  }
  return routes;
}

function asArray(p: string | string[] | undefined): string[] {
  if (p === undefined) return [''];
  return Array.isArray(p) ? p : [p];
}

function normalise(path: string): string {
  const p = path.replace(/\/{2,}/g, '/').replace(/\/$/, '');
  return p === '' ? '/' : p;
}
