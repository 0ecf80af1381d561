#!/usr/bin/env python3
"""Transfer a truth's labels to a clone API that was never labelled, for a held-out check.

HIP mirrors the CUDA runtime: hipMemcpyAsync(dst, src, sizeBytes, kind, stream) is
cudaMemcpyAsync(dst, src, count, kind, stream) renamed. For every function of TRUTH whose
name, with PREFIX replaced by CLONE_PREFIX, exists in SPEC with the same number of
parameters, this writes the truth's labels onto the clone's parameters position by
position (parameter names in size expressions and `when` conditions renamed, type names'
prefixes too). Functions whose parameter lists differ are left out and listed. The
result is a truth for `remora score`; it rests on the clone keeping the original's
semantics, which is why it is a check, not one of tests/data/truth's labelled sets.

usage: transfer_truth.py TRUTH SPEC PREFIX CLONE_PREFIX OUT
  e.g. transfer_truth.py tests/data/truth/cuda_runtime.truth.json hip.json cuda hip hip.truth.json
"""
import json
import re
import sys


def main(truth_path, spec_path, prefix, clone_prefix, out_path):
    truth = json.load(open(truth_path))
    spec = json.load(open(spec_path))
    clone = {f['name']: f for f in spec['functions']}
    rename_type = lambda s: re.sub(r'\b' + prefix, clone_prefix, s) if isinstance(s, str) else s

    def deep(value, fn):
        if isinstance(value, dict):
            return {k: deep(v, fn) for k, v in value.items()}
        if isinstance(value, list):
            return [deep(v, fn) for v in value]
        return fn(value)

    out = dict(truth, api=spec['api'], types=deep(truth['types'], rename_type), functions=[])
    left_out = []
    for f in truth['functions']:
        name = clone_prefix + f['name'][len(prefix):]
        g = clone.get(name)
        if not g or len(g['params']) != len(f['params']):
            left_out.append(f['name'])
            continue
        names = {p['name']: q['name'] for p, q in zip(f['params'], g['params'])}
        rename_params = lambda s: re.sub(r'\b[A-Za-z_]\w*\b', lambda m: names.get(m.group(0), m.group(0)), s)
        expression = lambda v: deep(v, lambda x: rename_params(rename_type(x)) if isinstance(x, str) else x)
        labelled = deep(f, rename_type)
        labelled['name'] = name
        labelled.pop('symbol', None)
        labelled['params'] = []
        for p, q in zip(f['params'], g['params']):
            label = {k: (expression(v) if k in ('size', 'when') else deep(v, rename_type))
                     for k, v in p.items() if k not in ('name', 'type', 'evidence')}
            labelled['params'].append(dict(label, name=q['name'], type=q['type']))
        if isinstance(f.get('sync'), dict):
            labelled['sync'] = expression(f['sync'])
        if 'type' in g.get('return', {}) and 'return' in labelled:
            labelled['return']['type'] = g['return']['type']
        out['functions'].append(labelled)
    json.dump(out, open(out_path, 'w'), indent=1)
    print(f"{len(out['functions'])} functions transferred; {len(left_out)} left out: {', '.join(left_out)}")


if __name__ == '__main__':
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(*sys.argv[1:])
