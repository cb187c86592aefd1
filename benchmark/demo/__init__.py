"""CCR's demo data: two fictional editions, or a synthetic data set for scale tests.

Run from the repository root (``scripts/generate_demo.py`` is the same command):

    python -m benchmark.demo                    # rewrite data/editions + data/companies
    python -m benchmark.demo --out DIR          # the same files under DIR/
    python -m benchmark.demo --count 10000 --out /tmp/ccr-scale   # synthetic companies

The demo editions are modelled on two published studies (129 Polish software houses, 2019;
417 Russian online shops and services, 2016), but every company is invented: ``fictional: true``,
an invented name and a ``.example`` domain. Outcomes are assigned by shuffled quotas so that the
studies' headline figures come out of the data exactly (docs/demo-data.md lists them).

Everything is drawn from ``random.Random(SEED)`` in a fixed order and written by a small,
deterministic YAML emitter: the output is byte-identical on every run and on every machine.

One module per job: :mod:`.vocabulary` (rubric, channels, the model), :mod:`.draws` (quotas,
delays, marks, names), :mod:`.software_houses` and :mod:`.ecommerce` (the two editions),
:mod:`.synthetic` (scale-test data), :mod:`.files` (the YAML emitter and the files) and
:mod:`.__main__` (the command line).
"""
