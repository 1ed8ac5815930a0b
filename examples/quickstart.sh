#!/bin/sh
# Fine-tuning vs EWC vs experience replay on Split Fashion-MNIST, then a table of the results.
# Uses the full Fashion-MNIST when it is installed (apt-get install dataset-fashion-mnist), otherwise the
# subset shipped in examples/data/fashion-mnist-mini (FASHION_MNIST_DIR points elsewhere).
# Usage: examples/quickstart.sh [OUT_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
graft="$here/../distribution/target/graft/bin/graft"   # in the source tree, after mvn package
[ -x "$graft" ] || graft="$here/../bin/graft"          # inside the unpacked distribution
if [ ! -x "$graft" ]; then
  echo "quickstart: no bin/graft found; build first with: mvn -B -DskipTests package" >&2
  exit 2
fi
data=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
extra=""
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  data="$here/data/fashion-mnist-mini"
  # the subset has a twelfth of the training images: 5 epochs give the methods a comparable number of steps
  extra="train.epochs=5"
  echo "quickstart: full Fashion-MNIST not installed, using the shipped subset ($data) with 5 epochs per task"
fi
out=${1:-runs/quickstart}
for method in finetune ewc er; do
  "$graft" run "$here/split-fmnist-$method.yaml" --out "$out/$method" --set "data.dir=$data" \
    ${extra:+--set "$extra"}
done
"$graft" summary "$out/finetune" "$out/ewc" "$out/er"
