#!/bin/sh
# Regenerates the far-end sound fixtures of the e2e suite (test/e2e/sounds), used by
# dialplan/e2e.conf: a short spoken greeting (a person answering), a long one (an
# answering machine) and one second of digital silence. Needs espeak-ng and sox
# (Debian: apt-get install espeak-ng sox). Output: 8 kHz, 16-bit, mono PCM WAV.
# The WAVs are committed; run this only to change them.
set -eu

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
out="$root/test/e2e/sounds"
voice=${ATENDE_TTS_VOICE:-pt-br}

command -v espeak-ng >/dev/null || { echo "espeak-ng not found" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox not found" >&2; exit 1; }

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

to_telephone() {
  # $1 input, $2 output name, remaining: extra sox effects
  in=$1 name=$2
  shift 2
  sox "$in" -r 8000 -c 1 -b 16 -e signed-integer "$out/$name.wav" "$@"
  echo "wrote test/e2e/sounds/$name.wav ($(soxi -D "$out/$name.wav") s)"
}

# One word, no padding: AMD must count exactly one word and then hear silence.
espeak-ng -v "$voice" -s 160 -w "$tmp/short.wav" "Alô?"
to_telephone "$tmp/short.wav" atende-e2e-greeting-short gain -n -3 silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse

# Many words, cut to five seconds of continuous speech: AMD must call it a machine.
espeak-ng -v "$voice" -s 150 -w "$tmp/long.wav" \
  "Olá, você ligou para a central de testes. No momento não podemos atender. Deixe seu recado após o sinal."
to_telephone "$tmp/long.wav" atende-e2e-greeting-long gain -n -3 trim 0 5

# Digital silence (all samples zero): real audio frames that AMD classifies as silence.
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$out/atende-e2e-silence-1s.wav" trim 0 1
echo "wrote test/e2e/sounds/atende-e2e-silence-1s.wav (1 s)"
