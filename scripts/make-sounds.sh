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

# speak <lang-dir> <name> <text> [pad seconds]
speak() {
  mkdir -p "$out/$1"
  espeak-ng -v "$voice" -s 150 -w "$tmp/$2.raw.wav" "$3"
  # Resample to telephone rate, mono, 16-bit; normalise to -3 dBFS; silence at each end (150 ms
  # by default) so the first syllable is not clipped while the media path settles. The words
  # that are chained into sentences (numbers) get less, so that a number sounds like one.
  if [ $# -ge 4 ]; then
    # espeak's own leading and trailing silence trimmed first.
    sox "$tmp/$2.raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out/$1/$2.wav" \
      silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse gain -n -3 pad "$4" "$4"
  else
    sox "$tmp/$2.raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out/$1/$2.wav" \
      gain -n -3 pad 0.15 0.15
  fi
  echo "wrote sounds/$1/$2.wav"
}

speak pt-BR atende-welcome "Obrigado por ligar. Esta central está em configuração. Até logo."

# Queue announcements: "Sua posição na fila é" + number; "O tempo estimado de espera é de" +
# number + "minutos" (src/routing/announce.logic.ts composes them).
speak pt-BR atende-queue-position "Sua posição na fila é"
speak pt-BR atende-queue-wait "O tempo estimado de espera é de"
speak pt-BR atende-queue-less-than-a-minute "menos de um minuto." 0.05
speak pt-BR atende-queue-minute "minuto." 0.05
speak pt-BR atende-queue-minutes "minutos." 0.05

# Numbers 0–999 as they are read in pt-BR ("cento e vinte e três"), masculine forms.
n=0
for word in zero um dois três quatro cinco seis sete oito nove dez onze doze treze quatorze \
  quinze dezesseis dezessete dezoito dezenove; do
  speak pt-BR "atende-num-$n" "$word" 0.05
  n=$((n + 1))
done
for pair in 20:vinte 30:trinta 40:quarenta 50:cinquenta 60:sessenta 70:setenta 80:oitenta \
  90:noventa 100:cem 200:duzentos 300:trezentos 400:quatrocentos 500:quinhentos \
  600:seiscentos 700:setecentos 800:oitocentos 900:novecentos cento:cento e:e; do
  speak pt-BR "atende-num-${pair%%:*}" "${pair#*:}" 0.05
done
