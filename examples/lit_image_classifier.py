#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Train a small CIFAR-5 image classifier: the tutorial's lit_image_classifier.py, CPU-sized.

Plain PyTorch (Debian's python3-torch and python3-torchvision, run by /usr/bin/python3), with
the tutorial script's arguments and Lightning-like output, so that step 8's sweep runs as is:

    /usr/bin/python3 lit_image_classifier.py --data_dir /datastores/cifar5 \\
        --backbone resnet18 --learning_rate 0.01

The data is a folder with train/<class>/*.png and test/<class>/*.png (test doubles as the
validation split, as in the tutorial). --backbone is a torchvision ResNet (resnet18, resnet34,
resnet50, ...; random weights, nothing is downloaded) with a small head for CIFAR's 32x32
images, or "tiny", a three-layer CNN that needs no torchvision.

What it leaves behind:
  * metrics as JSON lines appended to $GRID_METRICS_FILE when it is set (OpenGrid sets it):
    {"step": 3, "train_loss": 1.41} each step, and {"step": 9, "epoch": 0, "train_loss_epoch":
    ..., "valid_loss": ..., "valid_acc": ...} after each epoch;
  * the same in lightning_logs/version_N/metrics.csv (Lightning's CSVLogger layout), with
    hparams.yaml beside it (--csv_log_dir '' turns this off);
  * model.pt, the trained weights with the class names and settings (--output to move it).
"""

import argparse
import csv
import json
import math
import os
import sys
import time

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.nn import functional as F

DEFAULT_DATA_DIR = "/datastores/cifar5"  # where OpenGrid mounts the cifar5 datastore
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".ppm", ".webp")
BACKBONES = ("tiny", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152")
# CIFAR-10's channel statistics, as the tutorial's script normalises with.
MEAN = (0.4913, 0.482, 0.446)
STD = (0.247, 0.243, 0.261)
CSV_COLUMNS = ("epoch", "step", "train_loss", "train_loss_epoch", "valid_acc", "valid_loss")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Train a CIFAR-5 classifier (the Grid tutorial's lit_image_classifier.py).")
    parser.add_argument("--data_dir", default=None,
                        help="folder with train/ and test/ (default: %s, else ./cifar5)"
                        % DEFAULT_DATA_DIR)
    parser.add_argument("--backbone", default="resnet18", help="one of: " + ", ".join(BACKBONES))
    parser.add_argument("--learning_rate", type=float, default=1e-3)
    parser.add_argument("--max_epochs", type=int, default=2)
    parser.add_argument("--batch_size", type=int, default=32)
    parser.add_argument("--hidden_dim", type=int, default=64,
                        help="width of the head's hidden layer")
    parser.add_argument("--gpus", type=int, default=0,
                        help="use CUDA when > 0 and available (one device at most; no DDP)")
    parser.add_argument("--accelerator", default=None, help="accepted for the tutorial; ignored")
    parser.add_argument("--num_workers", type=int, default=0, help="accepted; ignored")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for torch (default 1)")
    parser.add_argument("--image_size", type=int, default=32, help="images are resized to this")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--output", default="model.pt",
                        help="where the trained model is saved ('' for nowhere)")
    parser.add_argument("--csv_log_dir", default="lightning_logs",
                        help="where version_N/metrics.csv goes; '' for none")
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        # Lightning scripts take every Trainer flag; a sweep may pass some this one lacks.
        print("warning: ignoring arguments this script does not know: %s" % " ".join(unknown),
              file=sys.stderr, flush=True)
    args.backbone = args.backbone.strip().strip("'\"")  # tolerate "'resnet50'" from a shell
    if args.backbone not in BACKBONES:
        parser.error("--backbone must be one of %s, not %r" % (", ".join(BACKBONES), args.backbone))
    if args.max_epochs < 1 or args.batch_size < 1 or args.threads < 1 or args.hidden_dim < 1:
        parser.error("--max_epochs, --batch_size, --threads and --hidden_dim must be positive")
    if not math.isfinite(args.learning_rate) or args.learning_rate <= 0:
        parser.error("--learning_rate must be a positive number")
    return args


# ---------------------------------------------------------------------------------------------
# data

def _has_splits(path):
    return os.path.isdir(os.path.join(path, "train")) and os.path.isdir(os.path.join(path, "test"))


def resolve_data_dir(requested):
    """The folder holding train/ and test/. Also looks one level down (an archive whose root is
    cifar5/), and without --data_dir falls back from the Grid mount to ./cifar5."""
    if requested is None:
        here = os.path.dirname(os.path.abspath(__file__))
        candidates = [DEFAULT_DATA_DIR, "cifar5", os.path.join(here, "cifar5")]
    else:
        candidates = [requested]
    for base in candidates:
        if _has_splits(base):
            return base
        if os.path.isdir(base):
            subdirs = [os.path.join(base, d) for d in sorted(os.listdir(base))]
            nested = [d for d in subdirs if _has_splits(d)]
            if len(nested) == 1:
                return nested[0]
    sys.exit("error: no dataset with train/ and test/ folders in %s (make one with "
             "make_cifar5.py, or pass --data_dir)" % " or ".join(candidates))


def load_split(root, split, classes, size):
    """All images of a split as (float tensor N x 3 x size x size, normalised; label tensor)."""
    images, labels = [], []
    for label, cls in enumerate(classes):
        folder = os.path.join(root, split, cls)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.lower().endswith(IMAGE_EXTENSIONS):
                continue
            with Image.open(os.path.join(folder, name)) as img:
                img = img.convert("RGB")
                if img.size != (size, size):
                    img = img.resize((size, size), Image.BILINEAR)
                images.append(np.asarray(img, dtype=np.uint8))
            labels.append(label)
    if not images:
        sys.exit("error: no images in %s" % os.path.join(root, split))
    x = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float().div_(255.0)
    x = (x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)
    return x.contiguous(), torch.tensor(labels, dtype=torch.long)


# ---------------------------------------------------------------------------------------------
# model

class TinyCNN(nn.Module):
    """Three conv blocks and a linear layer: learns the synthetic CIFAR-5 in a second."""

    def __init__(self, num_classes):
        super().__init__()

        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                    nn.ReLU(inplace=True)]

        self.features = nn.Sequential(*block(3, 16), nn.MaxPool2d(2), *block(16, 32),
                                      nn.MaxPool2d(2), *block(32, 64), nn.AdaptiveAvgPool2d(1),
                                      nn.Flatten())
        self.classifier = nn.Linear(64, num_classes)

    def forward(self, x):
        return self.classifier(self.features(x))


def build_model(backbone, num_classes, hidden_dim):
    if backbone == "tiny":
        return TinyCNN(num_classes)
    from torchvision import models  # only the ResNets need torchvision
    factory = getattr(models, backbone)
    try:
        net = factory(weights=None)  # torchvision >= 0.13
    except TypeError:
        net = factory(pretrained=False)
    # ImageNet's stem shrinks 32x32 to 8x8 before the first block (the last block sees 1x1);
    # without its max-pool the blocks see 16x16 down to 2x2 at a few times the cost.
    # Keeping it keeps an experiment in seconds on one CPU, which is the point here.
    net.fc = nn.Sequential(nn.Linear(net.fc.in_features, hidden_dim), nn.ReLU(inplace=True),
                           nn.Linear(hidden_dim, num_classes))
    return net


# ---------------------------------------------------------------------------------------------
# logging

class MetricsLogger:
    """JSON lines to $GRID_METRICS_FILE and rows to a Lightning-style metrics.csv."""

    def __init__(self, csv_log_dir, hparams):
        self.jsonl = os.environ.get("GRID_METRICS_FILE") or None
        self.csv_path = None
        if csv_log_dir:
            version = 0
            while os.path.exists(os.path.join(csv_log_dir, "version_%d" % version)):
                version += 1
            folder = os.path.join(csv_log_dir, "version_%d" % version)
            os.makedirs(folder)
            with open(os.path.join(folder, "hparams.yaml"), "w") as f:
                for key, value in hparams.items():
                    f.write("%s: %s\n" % (key, json.dumps(value)))
            self.csv_path = os.path.join(folder, "metrics.csv")
            with open(self.csv_path, "w", newline="") as f:
                csv.writer(f).writerow(CSV_COLUMNS)

    def log(self, step, **metrics):
        if self.jsonl:
            record = {"step": step}
            record.update(metrics)
            record["time"] = round(time.time(), 3)
            # One write of a whole line, so a reader tailing the file never sees half of one.
            with open(self.jsonl, "a") as f:
                f.write(json.dumps(record) + "\n")
        if self.csv_path:
            row = dict(metrics, step=step)
            with open(self.csv_path, "a", newline="") as f:
                csv.writer(f).writerow(["" if row.get(c) is None else row[c] for c in CSV_COLUMNS])


# ---------------------------------------------------------------------------------------------
# training

def recalibrate_batchnorm(model, x, batch_size, limit=128):
    """Sets BatchNorm's running statistics to those of the current weights over (the first
    `limit` of) the shuffled training images. After a few dozen steps at a high learning rate the
    running averages still describe the early weights, and the model in eval mode would score
    near chance; a short extra forward pass (no gradients) fixes that."""
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    saved = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a cumulative average over the batches below
    model.train()
    x = x[:limit]
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            if len(x[i:i + batch_size]) > 1:
                model(x[i:i + batch_size])
    for m, momentum in zip(norms, saved):
        m.momentum = momentum


def evaluate(model, x, y, batch_size):
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(y), batch_size):
            logits = model(x[i:i + batch_size])
            total_loss += F.cross_entropy(logits, y[i:i + batch_size], reduction="sum").item()
            correct += (logits.argmax(dim=1) == y[i:i + batch_size]).sum().item()
    model.train()
    return total_loss / len(y), correct / len(y)


def main(argv=None):
    started = time.monotonic()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows up live in `grid logs -f`
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)

    device = torch.device("cpu")
    if args.gpus > 0:
        if torch.cuda.is_available():
            device = torch.device("cuda:0")
        else:
            print("note: --gpus %d asked for, but this torch has no CUDA device; using the CPU"
                  % args.gpus)

    data_dir = resolve_data_dir(args.data_dir)
    classes = sorted(d for d in os.listdir(os.path.join(data_dir, "train"))
                     if os.path.isdir(os.path.join(data_dir, "train", d)))
    x_train, y_train = load_split(data_dir, "train", classes, args.image_size)
    x_valid, y_valid = load_split(data_dir, "test", classes, args.image_size)
    x_train, y_train = x_train.to(device), y_train.to(device)
    x_valid, y_valid = x_valid.to(device), y_valid.to(device)

    model = build_model(args.backbone, len(classes), args.hidden_dim).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    params = sum(p.numel() for p in model.parameters())
    hparams = {"backbone": args.backbone, "learning_rate": args.learning_rate,
               "batch_size": args.batch_size, "max_epochs": args.max_epochs,
               "hidden_dim": args.hidden_dim, "num_classes": len(classes), "seed": args.seed}
    logger = MetricsLogger(args.csv_log_dir, hparams)

    experiment = os.environ.get("GRID_EXPERIMENT_NAME")
    print("%sbackbone=%s (%.2f M parameters) learning_rate=%g batch_size=%d max_epochs=%d"
          % ("[%s] " % experiment if experiment else "", args.backbone, params / 1e6,
             args.learning_rate, args.batch_size, args.max_epochs))
    print("data: %s: %d train / %d test images, classes %s; device %s, %d thread(s)"
          % (data_dir, len(y_train), len(y_valid), ", ".join(classes), device, args.threads))
    if logger.jsonl:
        print("metrics: %s" % logger.jsonl)

    generator = torch.Generator().manual_seed(args.seed)
    batches = math.ceil(len(y_train) / args.batch_size)
    step = 0
    train_started = time.monotonic()
    for epoch in range(args.max_epochs):
        order = torch.randperm(len(y_train), generator=generator).to(device)
        losses = []
        for b in range(batches):
            index = order[b * args.batch_size:(b + 1) * args.batch_size]
            if len(index) < 2 and len(y_train) > 1:
                continue  # BatchNorm cannot train on a batch of one
            loss = F.cross_entropy(model(x_train[index]), y_train[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            value = loss.item()
            losses.append(value)
            logger.log(step, train_loss=value)
            if b == batches - 1 or b % 5 == 0:
                print("Epoch %d: [%3d/%d] step %4d  train_loss=%.4f"
                      % (epoch, b + 1, batches, step, value))
            step += 1
        recalibrate_batchnorm(model, x_train[order], args.batch_size)
        valid_loss, valid_acc = evaluate(model, x_valid, y_valid, args.batch_size)
        train_loss_epoch = sum(losses) / len(losses) if losses else float("nan")
        logger.log(max(step - 1, 0), epoch=epoch, train_loss_epoch=train_loss_epoch,
                   valid_loss=valid_loss, valid_acc=valid_acc)
        print("Epoch %d: train_loss_epoch=%.4f valid_loss=%.4f valid_acc=%.3f (%.1f s)"
              % (epoch, train_loss_epoch, valid_loss, valid_acc,
                 time.monotonic() - train_started))

    # The tutorial's test split is its validation split: the last epoch's numbers are the test's.
    test_loss, test_acc = valid_loss, valid_acc
    print("-" * 80)
    print("DATALOADER:0 TEST RESULTS")
    print({"test_acc": round(test_acc, 4), "test_loss": round(test_loss, 4)})
    print("-" * 80)

    if args.output:
        torch.save({"backbone": args.backbone, "classes": classes, "hparams": hparams,
                    "mean": MEAN, "std": STD, "image_size": args.image_size,
                    "test_acc": test_acc, "test_loss": test_loss,
                    "state_dict": {k: v.cpu() for k, v in model.state_dict().items()}},
                   args.output)
        print("saved %s (%.1f MB)" % (args.output, os.path.getsize(args.output) / 1e6))
    print("trained in %.1f s, %.1f s in all"
          % (time.monotonic() - train_started, time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
