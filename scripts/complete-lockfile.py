#!/usr/bin/env python3
"""Adds lockfile entries for unrs-resolver's platform bindings that the registry snapshot lacks.

The registry this project installs from is a snapshot with holes: it has unrs-resolver's Linux
bindings but not the others. `npm install` then silently leaves those optional packages out of
package-lock.json, and `npm ci` refuses a lockfile that lacks them. Each added entry names its
os/cpu, so npm skips it on every other platform without fetching anything.
Run after `npm install` changes the lockfile: python3 scripts/complete-lockfile.py package-lock.json
"""
import json, collections, sys
p = sys.argv[1]
lock = json.load(open(p), object_pairs_hook=collections.OrderedDict)
pk = lock['packages']
deps = pk['node_modules/unrs-resolver']['optionalDependencies']
spec = {
 'android-arm-eabi': ('android','arm',None), 'android-arm64': ('android','arm64',None),
 'darwin-arm64': ('darwin','arm64',None), 'darwin-x64': ('darwin','x64',None), 'freebsd-x64': ('freebsd','x64',None),
 'linux-arm-gnueabihf': ('linux','arm','glibc'), 'linux-arm-musleabihf': ('linux','arm','musl'),
 'linux-loong64-gnu': ('linux','loong64','glibc'), 'linux-loong64-musl': ('linux','loong64','musl'),
 'linux-ppc64-gnu': ('linux','ppc64','glibc'), 'linux-riscv64-gnu': ('linux','riscv64','glibc'), 'linux-riscv64-musl': ('linux','riscv64','musl'),
 'linux-s390x-gnu': ('linux','s390x','glibc'), 'openharmony-arm64': ('openharmony','arm64',None),
 'win32-arm64-msvc': ('win32','arm64',None), 'win32-ia32-msvc': ('win32','ia32',None), 'win32-x64-msvc': ('win32','x64',None),
}
added = 0
for name, version in deps.items():
    key = 'node_modules/' + name
    if key in pk: continue
    os_, cpu, libc = spec[name.split('resolver-binding-')[1]]
    entry = collections.OrderedDict([('version', version), ('cpu', [cpu]), ('dev', True)])
    if libc: entry['libc'] = [libc]
    entry['license'] = 'MIT'; entry['optional'] = True; entry['os'] = [os_]
    pk[key] = entry; added += 1
lock['packages'] = collections.OrderedDict(sorted(pk.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(lock, open(p, 'w'), indent=2); open(p, 'a').write('\n')
print('added', added)
