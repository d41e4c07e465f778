#!/bin/sh
# Regenerates Atende's own hold music, sounds/moh/default/atende-hold.wav, with sox alone
# (Debian: apt-get install sox). The piece is composed here, note by note: an original
# arpeggio over C - Am - F - G | C - Em - F - G at 80 beats a minute, plucked-string melody,
# a soft sine pad and a plucked bass, 24 s that loop seamlessly. Nothing is sampled, so it is
# the project's own work under its own license.
# Output: 8 kHz, 16-bit, mono PCM WAV, the format Asterisk plays without transcoding. The WAV
# is committed; run this only to change the music.
set -eu

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
out="$root/sounds/moh/default/atende-hold.wav"
rate=16000
beat=0.75
bar=3

command -v sox >/dev/null || { echo "sox not found" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# hz <midi note number>
hz() {
  awk -v n="$1" 'BEGIN { printf "%.2f", 440 * 2 ^ ((n - 69) / 12) }'
}

# voice <name> <seconds per note> <synth type> <level> <notes...>: one file per voice, notes in a row.
voice() {
  name=$1 len=$2 kind=$3 level=$4
  shift 4
  i=0
  list=""
  for n in "$@"; do
    i=$((i + 1))
    f="$tmp/$name-$(printf %03d "$i").wav"
    sox -n -r $rate -c 1 -b 16 "$f" synth "$len" "$kind" "$(hz "$n")" vol "$level" fade q 0.01 "$len" 0.25
    list="$list $f"
  done
  # shellcheck disable=SC2086
  sox $list "$tmp/$name.wav"
}

# chord <name> <midi notes...>: a bar-long sine pad, swelling in and out.
chord() {
  name=$1
  shift
  tones=""
  for n in "$@"; do tones="$tones sine $(hz "$n")"; done
  # shellcheck disable=SC2086
  sox -n -r $rate -c 1 -b 16 "$tmp/pad-$name.wav" synth $bar $tones remix - vol 0.12 fade t 0.6 $bar 0.6
}

# Melody, one note a beat (MIDI numbers; 60 = C4).
voice melody $beat pluck 0.5 \
  64 67 72 67   69 72 76 72   65 69 72 69   67 71 74 71 \
  72 76 79 76   71 76 79 76   69 72 77 72   67 71 74 67

# Bass, one note a bar: C A F G C E F G.
voice bass $bar pluck 0.45 36 45 41 43 36 40 41 43

# Pad chords, bar by bar.
chord 1 48 52 55
chord 2 45 48 52
chord 3 41 45 48
chord 4 43 47 50
chord 5 48 52 55
chord 6 40 43 47
chord 7 41 45 48
chord 8 43 47 50
sox "$tmp"/pad-1.wav "$tmp"/pad-2.wav "$tmp"/pad-3.wav "$tmp"/pad-4.wav \
  "$tmp"/pad-5.wav "$tmp"/pad-6.wav "$tmp"/pad-7.wav "$tmp"/pad-8.wav "$tmp/pad.wav"

mkdir -p "$(dirname "$out")"
# Mix, a touch of reverb, normalise to -6 dBFS (hold music sits under speech level), then the
# telephone rate with a proper low-pass.
sox -m "$tmp/melody.wav" "$tmp/bass.wav" "$tmp/pad.wav" "$tmp/mix.wav"
sox "$tmp/mix.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out" reverb 30 50 60 trim 0 24 gain -n -6
echo "wrote sounds/moh/default/atende-hold.wav"
