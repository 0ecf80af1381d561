# Copies into the reviewed OpenCL spec what inference learned after the review about fields
# the review did not decide, for every parameter it did not mark unsupported (a review that
# edited a parameter decided other fields; these say nothing against its decisions):
#  - `may_hold_handles` (clSetKernelArg's arg_value, property lists, info results that
#    return properties), with the evidence that says so;
#  - the per-selector `when` clauses that type a clGet*Info result as handles
#    (CL_CONTEXT_DEVICES ...), which the reviewed spec predates.
#  - `retain: command` on an `in` buffer the review left without `retain` (the input of a
#    non-blocking write the program leaves alone until the command completes), with the
#    evidence that says so.
# Handle values are per-guest ids since issue 15 item 6, so a handle inside bytes the spec
# says nothing about would reach the guest untranslated.
# Usage: python3 specs/sync_inferred_fields.py specs/opencl.inferred.json specs/opencl.reviewed.json
import json, sys

inferred = json.load(open(sys.argv[1]))
reviewed = json.load(open(sys.argv[2]))
fns = {f['name']: f for f in inferred['functions']}
changed = []
for f in reviewed['functions']:
    src = fns.get(f['name'])
    if not src:
        continue
    by_name = {p['name']: p for p in src['params']}
    for p in f['params']:
        q = by_name.get(p['name'])
        if not q or p.get('status') == 'unsupported':
            continue
        if q.get('may_hold_handles') and not p.get('may_hold_handles'):
            p['may_hold_handles'] = True
            p.setdefault('evidence', []).extend(
                e for e in q.get('evidence', []) if e.get('says', {}).get('may_hold_handles'))
            changed.append(f['name'] + '.' + p['name'] + ' may_hold_handles')
        if q.get('retain') == 'command' and not p.get('retain') and p.get('direction') == 'in' \
                and p.get('kind') == 'buffer':
            p['retain'] = 'command'
            p.setdefault('evidence', []).extend(
                e for e in q.get('evidence', []) if 'retain: command' in e.get('why', ''))
            changed.append(f['name'] + '.' + p['name'] + ' retain command')
        have = {w['if'] for w in p.get('when', [])}
        for w in q.get('when', []):
            if w['if'] in have or w.get('element', {}).get('kind') != 'handle':
                continue
            p.setdefault('when', []).append(w)
            p.setdefault('evidence', []).extend(
                e for e in q.get('evidence', []) if ("for " + w['if'].split('== ')[-1] + ":") in e.get('why', ''))
            changed.append(f['name'] + '.' + p['name'] + ' when ' + w['if'])
json.dump(reviewed, open(sys.argv[2], 'w'), indent=1, ensure_ascii=False)
print('\n'.join(changed))
print(len(changed), 'change(s)')
