#!/bin/sh
# Regenerates Atende's own prompts in sounds/ from text, with espeak-ng and sox
# (Debian: apt-get install espeak-ng sox). Output: 8 kHz, 16-bit, mono PCM WAV, the format
# Asterisk plays without transcoding to slin and that `{kind:'file'}` media expects.
# The WAVs are committed; run this only to change a prompt's text or add one.
set -eu

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
out="$root/sounds"
voice=${ATENDE_TTS_VOICE:-pt-br}

command -v espeak-ng >/dev/null || { echo "espeak-ng not found" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox not found" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# speak <lang-dir> <name> <text>
speak() {
  mkdir -p "$out/$1"
  espeak-ng -v "$voice" -s 150 -w "$tmp/$2.raw.wav" "$3"
  # Resample to telephone rate, mono, 16-bit; normalise to -3 dBFS; 150 ms of silence at
  # each end so the first syllable is not clipped while the media path settles.
  sox "$tmp/$2.raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out/$1/$2.wav" \
    gain -n -3 pad 0.15 0.15
  echo "wrote sounds/$1/$2.wav"
}

speak pt-BR atende-welcome "Obrigado por ligar. Esta central está em configuração. Até logo."
